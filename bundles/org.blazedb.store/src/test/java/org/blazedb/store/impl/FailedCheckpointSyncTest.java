package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint whose fsync fails (a disk that fills up under delayed allocation, an I/O error) has
 * written its commit into the MVStore file, where a reopened store would find it: the store rolls
 * the file back to its last synced commit, so that a write reported as failed does not come back
 * (neither after the recovery nor after a restart) and no later commit builds on pages the disk
 * may not hold, while every acknowledged write stays.
 */
class FailedCheckpointSyncTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    /** A batch large enough to be committed as a checkpoint of its own (a large group). */
    private static WriteBatch largeBatch() {
        WriteBatch b = new WriteBatch();
        String pad = "x".repeat(300);
        for (int i = 0; i < 2_000; i++) {
            b.put("c", String.format("big-%05d", i), MapValue.builder().put("n", i).put("pad", pad).build());
        }
        return b;
    }

    /** Makes the next checkpoint's fsync fail as a full disk does. @return how many failed so far */
    private static AtomicInteger failNextFileSync(StoreEngine s) {
        AtomicInteger failed = new AtomicInteger();
        s.fileSyncFault = () -> {
            if (failed.get() == 0) {
                failed.incrementAndGet();
                throw new IOException("No space left on device");
            }
        };
        return failed;
    }

    @Test
    void aLargeBatchWhoseCheckpointSyncFailedStaysFailedAfterTheRecoveryAndARestart() {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        int largeGroups = s.largeGroupCheckpoints;
        failNextFileSync(s);
        BlazeException e = assertThrows(BlazeException.class, () -> s.write(largeBatch()));
        assertEquals(ErrorCode.DISK_FULL, e.code());
        assertEquals(largeGroups + 1, s.largeGroupCheckpoints, "the batch was committed as a checkpoint");
        assertFailedBatchGone(s);
        Document next = s.collection("c").put("next", MapValue.builder().put("v", 2).build());
        assertEquals(2, next.lastOp().sequence(), "the failed batch's sequence numbers are free");
        s.close();
        stores.forget();
        StoreEngine again = stores.open(dir);
        assertFailedBatchGone(again);
        assertEquals(2, again.collection("c").count());
        assertEquals(2, again.log().lastPosition());
    }

    @Test
    void aBatchInFlightWhoseCheckpointSyncFailedFailsOnceTheStoreHasRecovered() {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        failNextFileSync(s);
        CompletionException e = assertThrows(CompletionException.class, () -> s.writeAsync(largeBatch()).join());
        assertEquals(ErrorCode.DISK_FULL, assertInstanceOf(BlazeException.class, e.getCause()).code());
        // no write in between: the future failed only after the store reopened without the batch
        assertFailedBatchGone(s);
        s.close();
        stores.forget();
        StoreEngine again = stores.open(dir);
        assertFailedBatchGone(again);
        assertEquals(1, again.log().lastPosition());
    }

    /**
     * A time-based checkpoint fails after groups acknowledged through the log: the rolled-back file
     * lacks them, and the log, not started over, brings them back.
     */
    @Test
    void aFailedTimedCheckpointKeepsEveryAcknowledgedWrite() throws InterruptedException {
        StoreEngine s = stores.open(dir);
        s.checkpointNanos = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            s.collection("c").put("d" + i, MapValue.builder().put("n", i).build());
        }
        AtomicInteger failed = failNextFileSync(s);
        s.checkpointNanos = 0; // due at the writer thread's next turn
        s.collection("c").put("d50", MapValue.builder().put("n", 50).build());
        Await.until("the checkpoint's fsync to fail", 30, () -> failed.get() == 1);
        s.checkpointNanos = Long.MAX_VALUE;
        s.collection("c").put("d51", MapValue.builder().put("n", 51).build()); // after the recovery: it holds the commit lock
        assertAllThere(s, 52);
        s.close();
        stores.forget();
        assertAllThere(stores.open(dir), 52);
    }

    private static void assertFailedBatchGone(StoreEngine s) {
        assertEquals(Optional.empty(), s.collection("c").get("big-00000"), "the failed batch does not come back");
        assertEquals(Optional.empty(), s.collection("c").get("big-01999"));
        assertTrue(s.collection("c").get("before").isPresent(), "the write before it stays");
    }

    private static void assertAllThere(StoreEngine s, int n) {
        assertEquals(n, s.collection("c").count());
        for (int i = 0; i < n; i++) {
            assertEquals(MapValue.builder().put("n", i).build(), s.collection("c").get("d" + i).orElseThrow().fields(), "d" + i);
        }
        assertEquals(n, s.log().lastPosition());
    }
}
