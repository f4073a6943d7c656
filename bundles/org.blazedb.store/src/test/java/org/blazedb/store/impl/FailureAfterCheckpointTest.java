package org.blazedb.store.impl;

import static org.blazedb.store.impl.CheckpointFaults.LARGE;
import static org.blazedb.store.impl.CheckpointFaults.assertAllThere;
import static org.blazedb.store.impl.CheckpointFaults.largeBatch;
import static org.blazedb.store.impl.CheckpointFaults.largeDocument;
import static org.blazedb.store.impl.CheckpointFaults.writeAcrossAFailedTimedCheckpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.Document;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once a checkpoint's fsync has succeeded, the groups in it are durable; what follows (starting
 * the log over, starting or installing a compaction) can still fail on an I/O error. The store then
 * reopens its files, and the writers of those groups are told they succeeded, which is what the
 * reopened store and a restart show, rather than an error for writes that are on disk.
 */
class FailureAfterCheckpointTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    /** Makes the work after the next synced checkpoint fail once. @return how many times it failed */
    private static AtomicInteger failAfterNextCheckpoint(StoreEngine s) {
        AtomicInteger failed = new AtomicInteger();
        s.afterCheckpointFault = CheckpointFaults.once(failed, "Input/output error");
        return failed;
    }

    @Test
    void aLargeBatchSucceedsWhenTheWorkAfterItsCheckpointFails() {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        int largeGroups = s.largeGroupCheckpoints;
        AtomicInteger failed = failAfterNextCheckpoint(s);
        List<Document> written = s.write(largeBatch());
        assertEquals(LARGE, written.size());
        assertEquals(largeGroups + 1, s.largeGroupCheckpoints, "the batch was committed as a checkpoint");
        assertEquals(1, failed.get(), "the work after the checkpoint failed");
        assertEquals(1, s.recoveries, "the store reopened its files");
        assertBatchThere(s);
        Document next = s.collection("c").put("next", MapValue.builder().put("v", 2).build());
        assertEquals(LARGE + 2, next.lastOp().sequence(), "the batch's sequence numbers are taken");
        StoreEngine again = stores.reopen(s, dir);
        assertBatchThere(again);
        assertEquals(LARGE + 2, again.collection("c").count());
        assertEquals(LARGE + 2, again.log().lastPosition());
    }

    @Test
    void aBatchInFlightSucceedsWhenTheWorkAfterItsCheckpointFails() throws Exception {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        AtomicInteger failed = failAfterNextCheckpoint(s);
        assertEquals(LARGE, s.writeAsync(largeBatch()).get(30, TimeUnit.SECONDS).size());
        // the writer thread does the deferred checkpoint's follow-up once the sync is done
        Await.until("the store to reopen its files", 30, () -> s.recoveries == 1);
        assertEquals(1, failed.get(), "the work after the checkpoint failed");
        assertBatchThere(s);
        s.collection("c").put("next", MapValue.builder().put("v", 2).build());
        StoreEngine again = stores.reopen(s, dir);
        assertBatchThere(again);
        assertEquals(LARGE + 2, again.log().lastPosition());
    }

    /**
     * The writer thread stages the next batch while a batch in flight's checkpoint is being synced
     * (the sync waits until the writer thread has taken it); the work after that sync fails and the
     * store reopens without the next batch's staged changes: the next batch is staged again, and
     * both succeed.
     */
    @Test
    void theBatchStagedDuringTheSyncIsStagedAgainAfterTheRecovery() throws Exception {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        AtomicInteger failed = failAfterNextCheckpoint(s);
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch nextQueued = new CountDownLatch(1);
        s.fileSyncFault = () -> {
            // a slow fsync: it ends only once the writer thread has taken the next batch to stage it
            syncing.countDown();
            try {
                assertTrue(nextQueued.await(30, TimeUnit.SECONDS), "the next batch was queued");
                Await.until("the writer thread to take the next batch", 30, () -> s.queuedWrites() == 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<List<Document>> large = s.writeAsync(largeBatch());
        assertTrue(syncing.await(30, TimeUnit.SECONDS), "the large batch's checkpoint is being synced");
        CompletableFuture<List<Document>> next = s.writeAsync(new WriteBatch().put("c", "next", MapValue.builder().put("v", 2).build()));
        nextQueued.countDown();
        assertEquals(LARGE, large.get(30, TimeUnit.SECONDS).size());
        assertEquals(LARGE + 2, next.get(30, TimeUnit.SECONDS).get(0).lastOp().sequence());
        assertEquals(1, failed.get(), "the work after the checkpoint failed");
        assertEquals(1, s.recoveries, "the store reopened its files");
        assertBatchThere(s);
        assertTrue(s.collection("c").get("next").isPresent());
        StoreEngine again = stores.reopen(s, dir);
        assertBatchThere(again);
        assertTrue(again.collection("c").get("next").isPresent());
        assertEquals(LARGE + 2, again.log().lastPosition());
    }

    /** A timed checkpoint's follow-up fails between writes: no writer hears of it, none is lost. */
    @Test
    void aFailureAfterATimedCheckpointLosesNoWrite() throws InterruptedException {
        StoreEngine s = stores.open(dir);
        writeAcrossAFailedTimedCheckpoint(s, fault -> s.afterCheckpointFault = fault, "Input/output error");
        assertEquals(1, s.recoveries);
        assertAllThere(s, 52);
        assertAllThere(stores.reopen(s, dir), 52);
    }

    private static void assertBatchThere(StoreEngine s) {
        for (int i : new int[] {0, LARGE / 2, LARGE - 1}) {
            assertEquals(largeDocument(i), s.collection("c").get(String.format("big-%05d", i)).orElseThrow().fields());
        }
        assertTrue(s.collection("c").get("before").isPresent(), "the write before it stays");
    }
}
