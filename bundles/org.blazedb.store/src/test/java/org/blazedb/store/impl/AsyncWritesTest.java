package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Patch;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.Value;
import org.blazedb.api.value.MapValue;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreEngine#writeAsync}: batches in flight are committed in submission order, complete in
 * that order once durable, and a sync that fails takes the batches staged after it down with it,
 * while the writer thread stages a group during the previous group's sync.
 */
class AsyncWritesTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    private static WriteBatch batch(int number, int size, String pad) {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < size; i++) {
            b.put("imp", String.format("b%04d-%04d", number, i), MapValue.builder().put("batch", number).put("pad", pad).build());
        }
        return b;
    }

    /**
     * 60 batches, 4 in flight, every third large enough to be committed as a checkpoint (its sync
     * deferred), the rest logged; three other threads write meanwhile. The log holds the batches'
     * operations in submission order, the futures complete in it, and all of it survives a restart.
     */
    @Test
    void batchesInFlightCommitAndCompleteInSubmissionOrderBesideOtherWriters() throws Exception {
        StoreEngine s = stores.open(dir);
        String large = "L".repeat(1500);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> others = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    s.collection("other").put("t" + me + "-" + (i % 50), MapValue.builder().put("i", i).build());
                }
            });
            w.start();
            others.add(w);
        }
        ConcurrentLinkedQueue<Integer> completed = new ConcurrentLinkedQueue<>();
        ArrayDeque<CompletableFuture<List<Document>>> inFlight = new ArrayDeque<>();
        int batches = 60;
        int expectedDocs = 0;
        try {
            for (int n = 0; n < batches; n++) {
                int size = n % 3 == 0 ? 200 : 30; // 200 x 1.5 KB: about 600 KiB, a checkpoint
                expectedDocs += size;
                int number = n;
                inFlight.add(s.writeAsync(batch(n, size, n % 3 == 0 ? large : "s")).whenComplete((r, e) -> completed.add(number)));
                if (inFlight.size() == 4) {
                    inFlight.remove().join();
                }
            }
            while (!inFlight.isEmpty()) {
                inFlight.remove().join();
            }
        } finally {
            stop.set(true);
            for (Thread w : others) {
                w.join();
            }
        }
        assertTrue(s.largeGroupCheckpoints > 0, "some groups were committed as checkpoints");
        List<Integer> order = new ArrayList<>(completed);
        List<Integer> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "the futures completed in submission order");
        assertEquals(batches, order.size());
        s.close();
        stores.forget();
        StoreEngine again = stores.open(dir);
        assertEquals(expectedDocs, again.collection("imp").count());
        String previous = "";
        long position = 0;
        int seen = 0;
        try (var log = again.log().read(0)) {
            while (log.hasNext()) {
                Change c = log.next();
                assertEquals(++position, c.position(), "no gaps");
                if (c.operation().collection().equals("imp")) {
                    String id = c.operation().documentId();
                    assertTrue(id.compareTo(previous) > 0, id + " is logged after " + previous + ": submission order");
                    previous = id;
                    seen++;
                }
            }
        }
        assertEquals(expectedDocs, seen);
    }

    /** A write made after submitting batches waits for them: it is never staged before them. */
    @Test
    void aWriteAfterBatchesInFlightFromTheSameThreadCommitsAfterThem() {
        StoreEngine s = stores.open(dir);
        for (int round = 0; round < 50; round++) {
            CompletableFuture<List<Document>> first = s.writeAsync(new WriteBatch().put("c", "x", MapValue.builder().put("v", "async " + round).build()));
            CompletableFuture<List<Document>> second = s.writeAsync(new WriteBatch().put("c", "y", MapValue.builder().put("v", round).build()));
            Document after = s.collection("c").put("x", MapValue.builder().put("v", "sync " + round).build());
            long asyncSequence = first.join().get(0).lastOp().sequence();
            assertTrue(after.lastOp().sequence() > second.join().get(0).lastOp().sequence(), "round " + round);
            assertTrue(after.lastOp().sequence() > asyncSequence, "round " + round);
            assertEquals("sync " + round, s.collection("c").get("x").orElseThrow().fields().entries().get("v").toString().replace("\"", ""));
        }
    }

    /**
     * The writer thread hands a group's log sync to the syncer and stages the next group; when that
     * sync fails, its group fails, and so does the group staged meanwhile: both are gone after the
     * store reopens, also after a restart, and the store goes on.
     */
    @Test
    void aFailedDeferredSyncFailsItsBatchAndTheBatchStagedDuringIt() throws Exception {
        StoreEngine s = stores.open(dir);
        s.writeAsync(batch(1, 10, "s")).join();
        AtomicBoolean failNext = new AtomicBoolean(true);
        java.util.concurrent.CountDownLatch syncing = new java.util.concurrent.CountDownLatch(1);
        s.syncFault = () -> {
            if (failNext.getAndSet(false)) {
                syncing.countDown();
                // fail only once the writer thread has staged the next batch and waits for this sync
                try {
                    Await.until("the writer thread to stage the next group during the sync", 10, AsyncWritesTest::writerWaitsForTheSync);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new java.io.IOException("No space left on device");
            }
        };
        CompletableFuture<List<Document>> failing = s.writeAsync(batch(2, 10, "s"));
        assertTrue(syncing.await(10, TimeUnit.SECONDS), "batch 2's group is being synced"); // so batch 3 is a group of its own
        CompletableFuture<List<Document>> stagedDuring = s.writeAsync(batch(3, 10, "s"));
        assertEquals(ErrorCode.DISK_FULL, failure(failing).code());
        assertEquals(ErrorCode.DISK_FULL, failure(stagedDuring).code(), "written into the maps after the failed group, gone with it");
        assertEquals(Optional.empty(), s.collection("imp").get("b0002-0000"));
        assertEquals(Optional.empty(), s.collection("imp").get("b0003-0000"));
        assertEquals(10, s.collection("imp").count());
        List<Document> next = s.writeAsync(batch(4, 10, "s")).get(10, TimeUnit.SECONDS);
        assertEquals(11, next.get(0).lastOp().sequence(), "the failed batches used up no sequence numbers");
        s.close();
        stores.forget();
        StoreEngine again = stores.open(dir);
        assertEquals(20, again.collection("imp").count());
        assertEquals(Optional.empty(), again.collection("imp").get("b0002-0009"), "the failed batches do not come back");
        assertEquals(Optional.empty(), again.collection("imp").get("b0003-0009"));
        assertEquals(20, again.log().lastPosition());
    }

    /** @return whether the store's writer thread waits in the committer's settle, inside a group it processes */
    private static boolean writerWaitsForTheSync() {
        for (var e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().equals("blaze-store-test-writer")) {
                boolean settle = false;
                boolean process = false;
                for (StackTraceElement f : e.getValue()) {
                    settle |= f.getMethodName().equals("settle");
                    process |= f.getMethodName().equals("process");
                }
                return settle && process;
            }
        }
        return false;
    }

    private static BlazeException failure(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(BlazeException.class, e.getCause());
    }

    /**
     * A writer thread kept busy by batches in flight rarely finds its queue empty, where it offers
     * the store a checkpoint: it checkpoints between groups too, once per interval (before, the log
     * grew until its size forced one). The count of those checkpoints says so whatever the machine's
     * speed; how many checkpoints a second brings in all depends on it (36 and 37 on a quiet
     * machine, 21 on a busy one, against 13 and 19 on a quiet one without this).
     */
    @Test
    void aStreamOfBatchesInFlightStillCheckpointsOncePerInterval() {
        StoreEngine s = stores.open(dir);
        s.checkpointNanos = 20_000_000L;
        long start = System.nanoTime();
        ArrayDeque<CompletableFuture<List<Document>>> inFlight = new ArrayDeque<>();
        for (int n = 0; s.busyCheckpoints() < 3 && System.nanoTime() - start < 20_000_000_000L; n++) { // 32 in flight
            inFlight.add(s.writeAsync(batch(n, 5, "s")));
            while (inFlight.size() >= 32) {
                inFlight.remove().join();
            }
        }
        while (!inFlight.isEmpty()) {
            inFlight.remove().join();
        }
        assertTrue(s.busyCheckpoints() >= 3, s.busyCheckpoints() + " checkpoints between groups in "
                + (System.nanoTime() - start) / 1_000_000 + " ms of batches in flight");
    }

    @Test
    void theBatchIsCopiedWhenSubmittedAndAClosedStoreRefusesIt() {
        StoreEngine s = stores.open(dir);
        WriteBatch b = new WriteBatch().put("c", "a", MapValue.builder().put("v", 1).build());
        CompletableFuture<List<Document>> f = s.writeAsync(b);
        b.put("c", "b", MapValue.builder().put("v", 2).build());
        assertEquals(1, f.join().size());
        assertEquals(Optional.empty(), s.collection("c").get("b"), "a change to the batch after submitting it is not written");
        assertEquals(List.of(), s.writeAsync(new WriteBatch()).join());
        stores.close(s);
        assertEquals(ErrorCode.STORE_CLOSED, assertThrows(BlazeException.class, () -> s.writeAsync(b)).code());
    }
    /**
     * A caller's stage on a batch's future that writes to the store (a progress marker after each
     * batch): for a batch logged, one committed as a checkpoint (its sync deferred to the syncer),
     * and one that fails its stage. The stages used to run on the thread completing the future, the
     * committer's own, where such a write waited for itself for ever (or, under the commit lock,
     * was refused).
     */
    @Test
    void stagesThatDependOnABatchMayWriteToTheStore() throws Exception {
        // not closed by the extension: after a failure the store's writer is stuck, and closing it
        // would wait for it for ever
        StoreEngine s = StoreEngine.open(StoreOptions.defaults("test", dir));
        List<String> threads = new CopyOnWriteArrayList<>();
        CompletableFuture<?> logged = s.writeAsync(batch(1, 10, "s")).thenRun(() -> {
            threads.add(Thread.currentThread().getName());
            s.collection("progress").put("logged", MapValue.builder().put("done", 1).build());
        });
        CompletableFuture<?> checkpointed = s.writeAsync(batch(2, 200, "L".repeat(1500))).thenRun(() -> {
            threads.add(Thread.currentThread().getName());
            s.collection("progress").put("checkpointed", MapValue.builder().put("done", 1).build());
        });
        WriteBatch missing = new WriteBatch().patch("imp", "no-such-document", Patch.builder().set("v", Value.of(1L)).build());
        CompletableFuture<?> failed = s.writeAsync(missing).exceptionally(e -> {
            threads.add(Thread.currentThread().getName());
            s.collection("progress").put("failed", MapValue.builder().put("code", ((BlazeException) e).code().name()).build());
            return null;
        });
        CompletableFuture.allOf(logged, checkpointed, failed).get(20, TimeUnit.SECONDS);
        assertTrue(s.collection("progress").get("logged").isPresent());
        assertTrue(s.collection("progress").get("checkpointed").isPresent());
        assertEquals(Optional.of(Value.of("NOT_FOUND")), s.collection("progress").get("failed").orElseThrow().fields().get("code"));
        assertTrue(threads.stream().noneMatch(t -> t.endsWith("-writer") || t.endsWith("-syncer")), "ran on " + threads);
        s.close();
    }
}
