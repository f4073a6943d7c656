package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.blazedb.api.Collection;
import org.blazedb.api.Document;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store file stops growing under a steady overwrite workload once {@link FileCompaction} runs,
 * and keeps growing without it; readers see every document throughout; a compacted store reopens
 * with everything.
 */
class FileCompactionTest {
    private static final int DOCS = 300;
    private static final int ROUNDS = 400;
    private static final int BATCH = 25;
    private static final long MIN_BYTES = 1 << 20;

    @TempDir
    Path dir;
    /** How many rounds the last {@link #overwrite} made. */
    private long rounds;

    /**
     * Every round overwrites BATCH of DOCS documents, and every group is checkpointed.
     *
     * @return the smallest size of the file in the second half of the rounds
     */
    private long overwrite(StoreEngine store, boolean compact, Map<String, Long> last, AtomicReference<Throwable> readerFailure, long minRounds)
            throws Exception {
        store.checkpointNanos = 0;
        store.compactMinBytes = compact ? MIN_BYTES : Long.MAX_VALUE;
        Collection c = store.collection("c");
        Random random = new Random(7);
        String pad = "p".repeat(400);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        Thread reader = new Thread(() -> {
            Random r = new Random(3);
            long[] seen = new long[DOCS];
            try {
                while (!stop.get()) {
                    int i = r.nextInt(DOCS);
                    String id = "d" + i;
                    Document d = c.get(id).orElseThrow(() -> new AssertionError(id + " is missing"));
                    long n = ((org.blazedb.api.value.IntValue) d.fields().entries().get("n")).value();
                    // through compactions, with the document cache on: never an older version than one seen
                    assertTrue(n >= seen[i], id + " went back from " + seen[i] + " to " + n);
                    seen[i] = n;
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });
        WriteBatch first = new WriteBatch();
        for (int i = 0; i < DOCS; i++) {
            first.put("c", "d" + i, MapValue.builder().put("n", 0L).put("pad", pad).build());
            last.put("d" + i, 0L);
        }
        store.write(first);
        reader.start();
        long minSize = Long.MAX_VALUE;
        int compactionsAtHalf = 0;
        try {
            // at least minRounds rounds; with compaction, more until one was installed in the second
            // half (a loaded machine can make a copy slower than many rounds)
            long deadline = System.nanoTime() + 120_000_000_000L;
            for (long round = 1; round <= minRounds || (compact && store.compactions == compactionsAtHalf
                    && System.nanoTime() < deadline); round++) {
                WriteBatch b = new WriteBatch();
                for (int i = 0; i < BATCH; i++) {
                    String id = "d" + random.nextInt(DOCS);
                    b.put("c", id, MapValue.builder().put("n", round).put("pad", pad).build());
                    last.put(id, round);
                }
                store.write(b);
                rounds = round;
                if (round == minRounds / 2) {
                    compactionsAtHalf = store.compactions;
                }
                if (round > minRounds / 2) {
                    minSize = Math.min(minSize, store.files.fileSize());
                }
            }
        } finally {
            stop.set(true);
            reader.join(30_000);
        }
        assertTrue(reads.get() > 0, "the reader read");
        return minSize;
    }

    /**
     * Both runs do the same overwrites. The operation log is append-only (it grows by every
     * write), so "live data" grows too; what compaction bounds is the dead space: in the second half
     * the file keeps coming back to within twice its live data (measured at the end by one more
     * compaction), while without compaction it never falls below three times that.
     */
    @Test
    void theFileStopsGrowingUnderSteadyOverwrites() throws Exception {
        Map<String, Long> last = new HashMap<>();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        long minSize;
        long live;
        long done;
        int compactions;
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            minSize = overwrite(store, true, last, readerFailure, ROUNDS);
            done = rounds;
            compactions = store.compactions;
            // one more compaction, whatever the share of dead space, measures the live data
            store.compactMinBytes = 1;
            store.compactMaxLivePercent = 100;
            store.collection("other").put("x", MapValue.builder().put("n", 1L).build());
            int before = compactions;
            Await.until("an idle store installs a finished compaction", 60, () -> store.compactions > before);
            assertEverything(store, last, 1, done); // from the installed file, through the document cache
            assertTrue(store.documentCacheStats().hits() > 0, "the reader used the document cache");
            live = Files.size(dir.resolve(StoreFiles.FILE_NAME));
            store.compactMinBytes = Long.MAX_VALUE;
        }
        assertNull(readerFailure.get(), () -> "a reader failed during compactions: " + readerFailure.get());
        assertTrue(compactions >= 2, "the file was compacted repeatedly (" + compactions + " times)");
        // compactions keep bringing the file back near its live data ...
        assertTrue(minSize <= 2 * live, "in the second half the file came back to within twice its live data (" + live
                + " bytes): its smallest size was " + minSize);
        assertFalse(Files.exists(dir.resolve(StoreFiles.COMPACT_FILE_NAME)), "no copy is left behind");
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            assertEverything(store, last, 1, done);
        }

        // the control: the same workload without compaction grows the file well past that bound
        Path control = dir.resolve("control");
        Map<String, Long> lastControl = new HashMap<>();
        long uncompacted;
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", control))) {
            // as many rounds as the compacted run made (more than ROUNDS when a loaded machine made
            // its copy slow): the same log, so the same live data
            uncompacted = overwrite(store, false, lastControl, readerFailure, done);
            done = rounds;
            assertEquals(0, store.compactions);
        }
        assertNull(readerFailure.get());
        // ... while without compaction it only grows: its smallest size in the second half is far above
        assertTrue(uncompacted > 3 * live, "without compaction the file stayed above 3 times the live data in the second half: "
                + uncompacted);
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", control))) {
            assertEverything(store, lastControl, 0, done);
        }
    }

    @Test
    void checkpointsWithinOneIntervalAskWhetherToCompactOnce() throws Exception {
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            store.compactMinBytes = Long.MAX_VALUE; // asked, never due: only the asking is counted
            store.checkpointNanos = 0; // the writer thread checkpoints after the put, and asks
            store.collection("c").put("a", MapValue.builder().put("n", 0L).build());
            Await.until("a checkpoint asks whether to compact", 10, () -> store.compactionChecks > 0);
            store.checkpointNanos = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
            store.collection("c").put("a", MapValue.builder().put("n", 1L).build()); // the committer has seen the new interval
            int checks = store.compactionChecks;
            for (int i = 0; i < 5; i++) {
                WriteBatch batch = new WriteBatch();
                for (int d = 0; d < 2_000; d++) { // large enough to be committed as a checkpoint of its own
                    batch.put("c", String.format("b%d-%05d", i, d), MapValue.builder().put("n", (long) d).put("text", "x".repeat(150)).build());
                }
                store.write(batch);
            }
            assertTrue(store.largeGroupCheckpoints >= 5, "each batch was a checkpoint: " + store.largeGroupCheckpoints);
            assertEquals(checks, store.compactionChecks, "none of those checkpoints walked the file's chunks again");
        }
    }

    @Test
    void aCopyLeftByAnInterruptedCompactionIsDeletedAtOpen() throws Exception {
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            store.collection("c").put("a", MapValue.builder().put("n", 1L).build());
        }
        Files.write(dir.resolve(StoreFiles.COMPACT_FILE_NAME), new byte[] {1, 2, 3});
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            assertFalse(Files.exists(dir.resolve(StoreFiles.COMPACT_FILE_NAME)));
            assertEquals(Value.of(1L), store.collection("c").get("a").orElseThrow().fields().entries().get("n"));
        }
    }

    @Test
    void creatingAnIndexDuringACompactionKeepsTheIndex() throws Exception {
        Map<String, Long> last = new HashMap<>();
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            overwrite(store, true, last, readerFailure, ROUNDS);
            store.compactMinBytes = 1; // due at every checkpoint from here on
            store.collection("c").createIndex("n");
            for (int i = 0; i < 50; i++) {
                store.collection("c").put("d" + i, MapValue.builder().put("n", 10_000L + i).build());
                last.put("d" + i, 10_000L + i);
            }
        }
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            assertEquals(java.util.Set.of("n"), store.collection("c").indexes());
            assertEverything(store, last, 0, rounds);
            try (var found = store.collection("c").find(org.blazedb.api.Query.builder().where(org.blazedb.api.Filter.gte("n",
                    Value.of(10_000L))).build())) {
                int n = 0;
                while (found.hasNext()) {
                    found.next();
                    n++;
                }
                assertEquals(50, n, "the index holds the writes made after it was created");
            }
        }
    }

    private static void assertEverything(StoreEngine store, Map<String, Long> last, long otherWrites, long rounds) {
        for (Map.Entry<String, Long> e : last.entrySet()) {
            assertEquals(Value.of(e.getValue()), store.collection("c").get(e.getKey()).orElseThrow().fields().entries().get("n"), e.getKey());
        }
        assertEquals(DOCS, store.collection("c").count());
        long expected = 1;
        try (var log = store.log().read(0)) {
            while (log.hasNext()) {
                assertEquals(expected++, log.next().position(), "the log has no gaps");
            }
        }
        assertEquals(DOCS + rounds * BATCH + last.values().stream().filter(v -> v >= 10_000).count() + otherWrites, expected - 1);
    }
}
