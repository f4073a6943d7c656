package org.blazedb.bench.store;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.blazedb.api.Collection;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable single-document commits per second (BlazeDB in its default {@code SYNC} mode, SQLite in
 * WAL mode with {@code synchronous=FULL}, one transaction per document), by one writer and by 16
 * (JMH adds up the threads' rates). Each writer puts a new document with an id of its own.
 *
 * <p>The disk's fsync rate on a shared machine drifts by an order of magnitude within minutes (see
 * {@code docs/performance.md}); this benchmark runs the two sides in different minutes, so compare
 * its figures with care, and {@link StoreVsSqlite}'s alternating rounds for the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StoreCommitBenchmark {
    private Path folder;
    private StoreEngine store;
    private Collection docs;
    private final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws Exception {
        folder = BenchData.createFolder("blaze-jmh-commit");
        store = StoreEngine.open(StoreOptions.defaults("bench", folder.resolve("blaze")));
        docs = store.collection("docs");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        BenchData.deleteFolder(folder);
    }

    /** One writer's SQLite connection, with the upsert prepared. */
    @State(Scope.Thread)
    public static class SqliteWriter extends SqliteSession {
        @Setup(Level.Trial)
        public void open(StoreCommitBenchmark shared) throws Exception {
            open(shared.folder.resolve("db.sqlite"), BenchData.SQLITE_UPSERT);
        }
    }

    @Benchmark
    @Threads(1)
    public Object blazeDb1Writer() {
        return put();
    }

    @Benchmark
    @Threads(16)
    public Object blazeDb16Writers() {
        return put();
    }

    @Benchmark
    @Threads(1)
    public int sqlite1Writer(SqliteWriter w) throws Exception {
        return upsert(w);
    }

    @Benchmark
    @Threads(16)
    public int sqlite16Writers(SqliteWriter w) throws Exception {
        return upsert(w);
    }

    private Object put() {
        long n = next.incrementAndGet();
        return docs.put("w-" + n, StoreVsSqlite.document(n));
    }

    private int upsert(SqliteWriter w) throws Exception {
        long n = next.incrementAndGet();
        w.statement.setString(1, "w-" + n);
        w.statement.setBytes(2, BlazeBinary.encodeDocument(StoreVsSqlite.document(n)));
        return w.statement.executeUpdate(); // autocommit: one durable transaction
    }
}
