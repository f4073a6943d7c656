package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BatchImport;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Store.beginImport}: order, durability on acknowledgement, a failing batch, restart. */
class OrderedImportTest {
    @TempDir
    Path dir;
    private final List<StoreEngine> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(StoreEngine::close);
    }

    private StoreEngine open() {
        StoreEngine e = StoreEngine.open(StoreOptions.defaults("test", dir));
        open.add(e);
        return e;
    }

    private StoreEngine reopen(StoreEngine s) {
        s.close();
        open.remove(s);
        return open();
    }

    private static MapValue doc(int batch, int i) {
        return MapValue.builder().put("batch", batch).put("i", i).put("body", "x".repeat(100)).build();
    }

    /** Batch b (from 1) of {@code size} puts: ids b-0..b-(size-1); every third also rewrites id "shared". */
    private static WriteBatch batch(int b, int size) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < size; i++) {
            batch.put("imp", String.format("%04d-%04d", b, i), doc(b, i));
        }
        if (b % 3 == 0) {
            batch.put("imp", "shared", doc(b, -1));
        }
        return batch;
    }

    private static List<Change> log(StoreEngine s) {
        List<Change> all = new ArrayList<>();
        try (Cursor<Change> c = s.log().read(0)) {
            c.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void batchesAreAppliedLoggedAndAcknowledgedInOrder() throws Exception {
        StoreEngine s = open();
        Collection c = s.collection("imp");
        // a lone writer beside the import: its groups interleave with the import's, which keep their order
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger others = new AtomicInteger();
        Thread other = new Thread(() -> {
            while (!stop.get()) {
                s.collection("other").put("o" + others.incrementAndGet(), doc(0, 0));
            }
        });
        other.start();
        List<Long> acknowledged = new ArrayList<>();
        try (BatchImport imp = s.beginImport(3)) {
            for (int b = 1; b <= 40; b++) {
                imp.submit(batch(b, b % 2 == 0 ? 200 : 7)); // both large and small groups
                long now = imp.acknowledgedBatches();
                assertTrue(acknowledged.isEmpty() || now >= acknowledged.get(acknowledged.size() - 1), "acknowledged only grows");
                assertTrue(b - now <= 3, "at most 3 batches unacknowledged after a submit");
                acknowledged.add(now);
            }
            long mutations = imp.finish();
            assertEquals(40, imp.acknowledgedBatches());
            assertEquals(20 * 200 + 20 * 7 + 13, mutations);
            assertEquals(mutations, imp.acknowledgedMutations());
        } finally {
            stop.set(true);
            other.join(30_000);
        }
        // the log holds the import's operations in submission order, every one once
        List<String> imported = log(s).stream().filter(ch -> ch.operation().collection().equals("imp"))
                .map(ch -> ch.operation().documentId()).toList();
        List<String> expected = new ArrayList<>();
        for (int b = 1; b <= 40; b++) {
            batch(b, b % 2 == 0 ? 200 : 7).mutations().forEach(m -> expected.add(m.documentId()));
        }
        assertEquals(expected.size(), imported.size(), "every operation of the import logged once");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), imported.get(i), "operation " + i + " of the import in its place in the log");
        }
        assertEquals(20 * 200 + 20 * 7 + 1, c.count());
        assertEquals(doc(39, -1), c.get("shared").orElseThrow().fields(), "the last batch that wrote it wins");
        assertEquals(others.get(), s.collection("other").count(), "the other writer's writes are all there too");
        StoreEngine again = reopen(s);
        assertEquals(20 * 200 + 20 * 7 + 1, again.collection("imp").count());
        assertEquals(doc(39, -1), again.collection("imp").get("shared").orElseThrow().fields());
        assertEquals(doc(40, 199), again.collection("imp").get("0040-0199").orElseThrow().fields());
    }

    @Test
    void aBatchIsAcknowledgedOnlyOnceItIsDurable() throws Exception {
        StoreEngine s = open();
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean(true);
        s.syncFault = () -> { // small batches are logged: this holds the log's fdatasync of the first group
            if (hold.getAndSet(false)) {
                syncing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (BatchImport imp = s.beginImport(2)) {
            imp.submit(batch(1, 10));
            assertTrue(syncing.await(30, TimeUnit.SECONDS), "the first batch reaches its fdatasync");
            imp.submit(batch(2, 10)); // returns: 2 may be in flight
            assertEquals(0, imp.acknowledgedBatches(), "not acknowledged while its fdatasync has not returned");
            assertEquals(0, s.version().get(s.nodeId()), "nor durable for sync and listeners");
            assertTrue(s.collection("imp").get("0001-0000").isPresent(), "though readers see it applied");
            release.countDown();
            Await.until("the first batch acknowledged", 30, () -> imp.acknowledgedBatches() >= 1);
            assertTrue(s.version().get(s.nodeId()) >= 10, "acknowledged means durable");
            assertEquals(20, imp.finish());
            assertEquals(20, s.version().get(s.nodeId()));
        }
    }

    @Test
    void aBatchThatFailsStopsTheImportAndNothingAfterItIsApplied() {
        StoreEngine s = open();
        int[] sizes = new int[20];
        BlazeException failure;
        try (BatchImport imp = s.beginImport(3)) {
            failure = assertThrows(BlazeException.class, () -> {
                for (int b = 1; b <= 20; b++) {
                    WriteBatch batch = batch(b, 50);
                    if (b == 6) {
                        batch.put("imp", "", doc(b, 0)); // an invalid id: batch 6 fails when staged
                    }
                    imp.submit(batch);
                    sizes[b - 1] = batch.size();
                }
                imp.finish();
            });
            assertEquals(5, imp.acknowledgedBatches());
            assertThrows(BlazeException.class, () -> imp.submit(batch(21, 5)), "no batch is accepted after a failure");
        }
        assertEquals(ErrorCode.INVALID_ID, failure.code());
        long before = sizes[0] + sizes[1] + sizes[2] + sizes[3] + sizes[4];
        assertTrue(failure.getMessage().startsWith("Import batch 6 failed: "), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("The 5 batches before it (" + before + " changes) are durable; nothing after it was applied"),
                failure.getMessage());
        assertImportedExactly(s, 5, before);
        assertImportedExactly(reopen(s), 5, before);
    }

    @Test
    void aCommitThatFailsOnTheDiskStopsTheImportAndTheStoreGoesOn() {
        StoreEngine s = open();
        AtomicInteger syncs = new AtomicInteger();
        s.syncFault = () -> {
            if (syncs.incrementAndGet() == 4) {
                throw new java.io.IOException("No space left on device");
            }
        };
        BlazeException failure;
        long acknowledged;
        long mutations;
        try (BatchImport imp = s.beginImport(2)) {
            failure = assertThrows(BlazeException.class, () -> {
                for (int b = 1; b <= 30; b++) {
                    imp.submit(batch(b, 10)); // small: logged, so each group makes one fdatasync
                }
                imp.finish();
            });
            acknowledged = imp.acknowledgedBatches();
            mutations = imp.acknowledgedMutations();
        }
        assertEquals(ErrorCode.DISK_FULL, failure.code());
        assertTrue(acknowledged >= 3 && acknowledged < 30, "acknowledged " + acknowledged);
        assertTrue(failure.getMessage().startsWith("Import batch " + (acknowledged + 1) + " failed: "), failure.getMessage());
        assertImportedExactly(s, acknowledged, mutations);
        StoreEngine again = reopen(s);
        assertImportedExactly(again, acknowledged, mutations);
        // and the store goes on: a new import after the restart continues the sequence
        try (BatchImport imp = again.beginImport(2)) {
            imp.submit(batch(100, 10));
            assertEquals(10, imp.finish());
        }
        assertEquals(mutations + 10, again.version().get(again.nodeId()));
    }

    /** The store holds exactly the first {@code batches} batches: their documents, log records and sequence numbers. */
    private static void assertImportedExactly(StoreEngine s, long batches, long mutations) {
        assertEquals(mutations, s.version().get(s.nodeId()), "durable operations");
        assertEquals(mutations, s.log().lastPosition(), "log records");
        List<Change> log = log(s);
        assertEquals(mutations, log.size());
        for (Change ch : log) {
            long b = ((org.blazedb.api.value.IntValue) ch.operation().fields().entries().get("batch")).value();
            assertTrue(b <= batches, "nothing of batch " + b + " after the failed one: " + ch.operation().documentId());
        }
        assertTrue(s.collection("imp").get(String.format("%04d-%04d", batches, 0)).isPresent() || batches == 0);
        assertFalse(s.collection("imp").get(String.format("%04d-%04d", batches + 1, 0)).isPresent());
    }
}
