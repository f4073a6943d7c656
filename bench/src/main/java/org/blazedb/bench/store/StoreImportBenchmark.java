package org.blazedb.bench.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.WriteBatch;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batched import, in documents per second: batches of 1,000 of {@link StoreVsSqlite}'s
 * ~200-byte documents into a new store, each iteration a new store (about a million documents in
 * its two seconds); BlazeDB keeps {@link #IN_FLIGHT} batches in flight with {@code writeAsync}, as
 * {@code blaze:import} does, SQLite commits one transaction per batch. Each method runs in a JVM of
 * its own (a fork), warmed up by the warm-up iterations. The last batches' syncs at the end of an
 * iteration fall outside its clock (at most {@link #IN_FLIGHT} of about a thousand batches).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StoreImportBenchmark {
    static final int BATCH = 1_000;
    static final int IN_FLIGHT = 4;
    /** More than a two-second iteration imports at the highest rate seen (about 650,000 a second). */
    private static final int MAX_DOCS = 3_000_000;

    private final String[] ids = BenchData.ids(MAX_DOCS);
    private Path folder;
    private StoreEngine store;
    private BatchesInFlight inFlight;
    private Connection connection;
    private PreparedStatement upsert;
    private int next;

    /** A new store of each kind (a fork measures one of them; the other stays empty). */
    @Setup(Level.Iteration)
    public void newStores() throws Exception {
        folder = BenchData.createFolder("blaze-jmh-import");
        next = 0;
        store = StoreEngine.open(StoreOptions.defaults("bench", folder.resolve("blaze")));
        inFlight = new BatchesInFlight(store, IN_FLIGHT);
        connection = StoreVsSqlite.sqlite(folder.resolve("db.sqlite"));
        connection.setAutoCommit(false);
        upsert = connection.prepareStatement(BenchData.SQLITE_UPSERT);
    }

    @TearDown(Level.Iteration)
    public void dropStores() throws Exception {
        inFlight.finish();
        store.close();
        connection.close();
        BenchData.deleteFolder(folder);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void blazeDb() {
        WriteBatch batch = new WriteBatch();
        for (int i = next; i < next + BATCH; i++) {
            batch.put("docs", ids[i], StoreVsSqlite.document(i));
        }
        next += BATCH;
        inFlight.submit(batch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sqlite() throws Exception {
        for (int i = next; i < next + BATCH; i++) {
            upsert.setString(1, ids[i]);
            upsert.setBytes(2, BlazeBinary.encodeDocument(StoreVsSqlite.document(i)));
            upsert.addBatch();
        }
        next += BATCH;
        upsert.executeBatch();
        connection.commit();
    }
}
