package org.blazedb.bench.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.Collection;
import org.blazedb.api.Document;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Point reads by id on a warm store of {@link #docs} documents, by 2 threads (the machine's cores),
 * in reads per second: BlazeDB with a 1 GiB page cache and a document cache of {@link
 * #documentCacheMb} MiB (0 turns it off), SQLite decoding each document it reads, so that both
 * sides do the same decoding work. Warm: the setup reads everything once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
public class StoreReadBenchmark {
    @Param("1000000")
    public int docs;

    @Param("1536")
    public int documentCacheMb;

    private String[] ids;
    private Path folder;
    private StoreEngine store;
    private Collection collection;

    @Setup(Level.Trial)
    public void importAndWarm() throws Exception {
        ids = BenchData.ids(docs);
        folder = BenchData.createFolder("blaze-jmh-read");
        store = StoreEngine.open(StoreOptions.defaults("bench", folder.resolve("blaze")).withCacheSizeMb(1024).withDocumentCacheMb(documentCacheMb));
        BatchesInFlight inFlight = new BatchesInFlight(store, StoreImportBenchmark.IN_FLIGHT);
        try (Connection c = StoreVsSqlite.sqlite(folder.resolve("db.sqlite"));
             PreparedStatement upsert = c.prepareStatement(BenchData.SQLITE_UPSERT)) {
            c.setAutoCommit(false);
            for (int from = 0; from < docs; from += StoreImportBenchmark.BATCH) {
                WriteBatch batch = new WriteBatch();
                for (int i = from; i < Math.min(docs, from + StoreImportBenchmark.BATCH); i++) {
                    MapValue doc = StoreVsSqlite.document(i);
                    batch.put("docs", ids[i], doc);
                    upsert.setString(1, ids[i]);
                    upsert.setBytes(2, BlazeBinary.encodeDocument(doc));
                    upsert.addBatch();
                }
                inFlight.submit(batch);
                upsert.executeBatch();
                c.commit();
            }
            inFlight.finish();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, body FROM docs")) {
                while (rs.next()) {
                    rs.getBytes(2);
                }
            }
        }
        collection = store.collection("docs");
        for (String id : ids) {
            collection.get(id);
        }
    }

    @TearDown(Level.Trial)
    public void drop() throws Exception {
        store.close();
        BenchData.deleteFolder(folder);
    }

    /** One reader's SQLite connection, with the select prepared. */
    @State(Scope.Thread)
    public static class SqliteReader extends SqliteSession {
        @Setup(Level.Trial)
        public void open(StoreReadBenchmark shared) throws Exception {
            open(shared.folder.resolve("db.sqlite"), BenchData.SQLITE_SELECT);
        }
    }

    @Benchmark
    public Document blazeDb() {
        return collection.get(ids[ThreadLocalRandom.current().nextInt(docs)]).orElseThrow();
    }

    @Benchmark
    public MapValue sqlite(SqliteReader r) throws Exception {
        r.statement.setString(1, ids[ThreadLocalRandom.current().nextInt(docs)]);
        try (ResultSet rs = r.statement.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("missing");
            }
            return BlazeBinary.decodeDocument(rs.getBytes(1));
        }
    }
}
