package org.blazedb.store.impl;

import static org.blazedb.store.impl.CheckpointFaults.assertAllThere;
import static org.blazedb.store.impl.CheckpointFaults.largeBatch;
import static org.blazedb.store.impl.CheckpointFaults.writeAcrossAFailedTimedCheckpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
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

    /** Makes the next checkpoint's fsync fail as a full disk does. @return how many failed so far */
    private static AtomicInteger failNextFileSync(StoreEngine s) {
        AtomicInteger failed = new AtomicInteger();
        s.fileSyncFault = CheckpointFaults.once(failed, "No space left on device");
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
        StoreEngine again = stores.reopen(s, dir);
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
        StoreEngine again = stores.reopen(s, dir);
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
        writeAcrossAFailedTimedCheckpoint(s, fault -> s.fileSyncFault = fault, "No space left on device");
        assertEquals(1, s.recoveries);
        assertAllThere(s, 52);
        assertAllThere(stores.reopen(s, dir), 52);
    }

    /**
     * The recovery from a failed checkpoint sync fails too (here its log cannot be reopened): writers
     * are told why, and once the cause is gone the next write reopens the store and succeeds. Before,
     * the store stayed on its closed file, and every write of an existing document failed with
     * STORE_CLOSED until a restart.
     */
    @Test
    void aStoreWhoseRecoveryFailedRecoversOnceTheCauseIsGone() throws Exception {
        StoreEngine s = stores.open(dir);
        s.collection("c").put("before", MapValue.builder().put("v", 1).build());
        Path wal = dir.resolve(WriteAheadLog.FILE_NAME);
        Path aside = dir.resolve("wal.aside");
        AtomicInteger failed = new AtomicInteger();
        s.fileSyncFault = () -> {
            if (failed.getAndIncrement() == 0) {
                Files.move(wal, aside); // the recovery's reopening of the log fails while this lasts
                Files.createDirectory(wal);
                throw new IOException("No space left on device");
            }
        };
        BlazeException first = assertThrows(BlazeException.class, () -> s.write(largeBatch()));
        assertEquals(ErrorCode.DISK_FULL, first.code(), "the batch's own failure, not the reopening's: " + first);
        BlazeException meanwhile = assertThrows(BlazeException.class,
                () -> s.collection("c").put("before", MapValue.builder().put("v", 2).build()));
        assertEquals(ErrorCode.IO_FAILURE, meanwhile.code(), meanwhile.getMessage());
        assertTrue(meanwhile.getMessage().contains(WriteAheadLog.FILE_NAME), meanwhile.getMessage());

        Files.delete(wal);
        Files.move(aside, wal);
        Document after = s.collection("c").put("before", MapValue.builder().put("v", 3).build());
        assertEquals(Optional.of(Value.of(3L)), after.fields().get("v"));
        assertFailedBatchGone(s);
        StoreEngine again = stores.reopen(s, dir);
        assertFailedBatchGone(again);
        assertEquals(Optional.of(Value.of(3L)), again.collection("c").get("before").orElseThrow().fields().get("v"));
    }

    private static void assertFailedBatchGone(StoreEngine s) {
        assertEquals(Optional.empty(), s.collection("c").get("big-00000"), "the failed batch does not come back");
        assertEquals(Optional.empty(), s.collection("c").get("big-01999"));
        assertTrue(s.collection("c").get("before").isPresent(), "the write before it stays");
    }
}
