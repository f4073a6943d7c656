package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.OperationKind;
import org.blazedb.api.Patch;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeWriter;
import org.blazedb.codec.Limits;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StoreEngineTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    private StoreEngine open() {
        return open(StoreOptions.defaults("test", dir));
    }

    private StoreEngine open(StoreOptions options) {
        return stores.open(options);
    }

    static MapValue doc(Object... kv) {
        MapValue.Builder b = MapValue.builder();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            b.put((String) kv[i], v instanceof Long l ? Value.of(l) : v instanceof Integer n ? Value.of((long) n)
                    : v instanceof Double d ? Value.of(d) : v instanceof Boolean z ? Value.of(z) : Value.of((String) v));
        }
        return b.build();
    }

    static <T> List<T> drain(Cursor<T> c) {
        List<T> out = new ArrayList<>();
        try (c) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void putGetPatchDeleteAndCount() {
        StoreEngine s = open();
        Collection notes = s.collection("notes");
        Document put = notes.put("n1", doc("t", "hi", "n", 1));
        assertEquals(doc("t", "hi", "n", 1), put.fields());
        assertFalse(put.deleted());
        assertEquals(new org.blazedb.api.OpId(s.nodeId(), 1), put.lastOp());
        assertEquals(put, notes.get("n1").orElseThrow());
        assertEquals(1, notes.count());

        Document patched = notes.patch("n1", Patch.builder().set("n", Value.of(2)).unset("t").build());
        assertEquals(doc("n", 2), patched.fields());
        assertTrue(patched.version().isAfter(put.version()));
        assertEquals(doc("n", 2), notes.get("n1").orElseThrow().fields());

        assertTrue(notes.delete("n1"));
        assertEquals(Optional.empty(), notes.get("n1"));
        Document tombstone = notes.getIncludingDeleted("n1").orElseThrow();
        assertTrue(tombstone.deleted());
        assertEquals(MapValue.EMPTY, tombstone.fields());
        assertFalse(notes.delete("n1"), "already deleted");
        assertFalse(notes.delete("never"), "never written");
        assertEquals(0, notes.count());
        assertEquals(Optional.empty(), notes.getIncludingDeleted("never"));
        assertEquals(3, s.log().lastPosition(), "no-op deletes write nothing");

        notes.put("n1", doc("again", true));
        assertEquals(doc("again", true), notes.get("n1").orElseThrow().fields());
        assertEquals(1, notes.count());
        assertEquals(java.util.Set.of("notes"), s.collectionNames());
    }

    @Test
    void patchOfMissingOrDeletedDocumentIsNotFound() {
        StoreEngine s = open();
        Collection c = s.collection("c");
        BlazeException e = assertThrows(BlazeException.class, () -> c.patch("x", Patch.builder().set("a", Value.of(1)).build()));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        c.put("x", doc("a", 1));
        c.delete("x");
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(BlazeException.class,
                () -> c.patch("x", Patch.builder().set("a", Value.of(1)).build())).code());
    }

    @Test
    void everyWriteAppendsOneOperationWithSequenceStampAndContext() {
        StoreEngine s = open();
        Collection c = s.collection("c");
        c.put("a", doc("v", 1));
        c.patch("a", Patch.builder().set("w", Value.of(2)).build());
        c.put("b", doc("v", 3));
        c.delete("a");
        List<Change> log = drain(s.log().read(0));
        assertEquals(4, log.size());
        for (int i = 0; i < 4; i++) {
            Change ch = log.get(i);
            assertEquals(i + 1, ch.position());
            assertTrue(ch.local());
            assertEquals(s.nodeId(), ch.operation().id().origin());
            assertEquals(i + 1, ch.operation().id().sequence());
            if (i > 0) {
                assertTrue(ch.operation().stamp().isAfter(log.get(i - 1).operation().stamp()));
            }
        }
        assertEquals(List.of(OperationKind.PUT, OperationKind.PATCH, OperationKind.PUT, OperationKind.DELETE),
                log.stream().map(ch -> ch.operation().kind()).toList());
        assertEquals(VersionVector.EMPTY, log.get(0).operation().context(), "a new document: nothing seen");
        assertEquals(VersionVector.EMPTY.with(s.nodeId(), 1), log.get(1).operation().context());
        assertEquals(VersionVector.EMPTY.with(s.nodeId(), 2), log.get(3).operation().context());
        assertEquals(List.of(3L, 4L), drain(s.log().read(2)).stream().map(Change::position).toList());
        assertEquals(List.of(), drain(s.log().read(4)));
        assertEquals(VersionVector.EMPTY.with(s.nodeId(), 4), s.version());
    }

    @Test
    void batchIsAtomicAcrossCollections() {
        StoreEngine s = open();
        List<Document> out = s.write(new WriteBatch().put("a", "1", doc("x", 1)).put("b", "2", doc("y", 2)).delete("a", "3"));
        assertEquals(3, out.size());
        assertTrue(out.get(2).deleted());
        assertEquals(3, s.log().lastPosition());
        WriteBatch bad = new WriteBatch().put("a", "4", doc("x", 4)).patch("b", "missing", Patch.builder().set("z", Value.of(1)).build());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(BlazeException.class, () -> s.write(bad)).code());
        assertEquals(Optional.empty(), s.collection("a").get("4"), "nothing of a failed batch is applied");
        assertEquals(3, s.log().lastPosition());
        s.collection("a").put("5", doc());
        assertEquals(4, drain(s.log().read(3)).get(0).operation().id().sequence(), "no sequence number was used up");
        List<Document> chained = s.write(new WriteBatch().put("a", "6", doc("x", 1)).patch("a", "6", Patch.builder().set("y", Value.of(2)).build()));
        assertEquals(doc("x", 1, "y", 2), chained.get(1).fields());
        assertEquals(doc("x", 1, "y", 2), s.collection("a").get("6").orElseThrow().fields());
    }

    @Test
    void invalidNamesIdsAndSizesAreRejectedWithTheirCodes() {
        StoreEngine s = open();
        for (String bad : new String[] {"", "has space", "x/y", "é", "a".repeat(129)}) {
            assertEquals(ErrorCode.INVALID_COLLECTION, assertThrows(BlazeException.class, () -> s.collection(bad)).code(), bad);
        }
        s.collection("A-z_0.9").put("ok", doc());
        Collection c = s.collection("c");
        assertEquals(ErrorCode.INVALID_ID, assertThrows(BlazeException.class, () -> c.put("", doc())).code());
        assertEquals(ErrorCode.INVALID_ID, assertThrows(BlazeException.class, () -> c.put("é".repeat(257), doc())).code());
        assertEquals(ErrorCode.INVALID_ID, assertThrows(BlazeException.class, () -> c.put("\uD800", doc())).code());
        c.put("é".repeat(256), doc());
        BlazeException big = assertThrows(BlazeException.class, () -> c.put("big", doc("b", "x".repeat(Limits.MAX_DOCUMENT_BYTES))));
        assertEquals(ErrorCode.DOCUMENT_TOO_LARGE, big.code());
        assertTrue(big.getMessage().contains("MAX_DOCUMENT_BYTES"), big.getMessage());
        assertEquals(Optional.empty(), c.get("big"));
    }

    /**
     * A document within its own limit whose operation (the document with its id, collection and
     * version context) is over it is refused: the log would hold an operation no OPS frame can carry.
     */
    @Test
    void aDocumentWhoseOperationIsOverTheLimitIsRefusedAndNothingIsWritten() {
        StoreEngine s = open();
        Collection c = s.collection("c");
        c.put("small", doc("v", 1));
        VersionVector version = s.version();
        // the document's record takes a few bytes besides its fields, the operation a few dozen
        MapValue nearlyFull = MapValue.builder().put("b", new BytesValue(new byte[Limits.MAX_DOCUMENT_BYTES - 20])).build();

        BlazeException big = assertThrows(BlazeException.class, () -> c.put("big", nearlyFull));
        assertEquals(ErrorCode.DOCUMENT_TOO_LARGE, big.code());
        assertTrue(big.getMessage().startsWith("The operation on document 'big' in 'c' encodes to "), big.getMessage());
        assertEquals(Optional.empty(), c.get("big"));
        assertEquals(version, s.version(), "no operation logged");
    }

    @Test
    void dataNodeIdAndClockSurviveARestart() {
        StoreEngine s = open();
        NodeId node = s.nodeId();
        Document d = s.collection("c").put("a", doc("v", 1));
        s.close();
        StoreEngine again = open();
        assertEquals(node, again.nodeId());
        assertEquals(d, again.collection("c").get("a").orElseThrow());
        assertEquals(1, again.collection("c").count());
        Document next = again.collection("c").put("b", doc());
        assertTrue(next.version().isAfter(d.version()));
        assertEquals(2, next.lastOp().sequence());
        assertEquals(2, again.log().lastPosition());
    }

    @Test
    void aSecondOpenOfTheSameFolderIsRefusedAsLocked() {
        open();
        BlazeException e = assertThrows(BlazeException.class, this::open);
        assertEquals(ErrorCode.DATA_FOLDER_LOCKED, e.code());
        assertTrue(e.getMessage().contains(dir.getFileName().toString()), e.getMessage());
    }

    /**
     * Another process's store holds the folder (its file lock) and is writing its compaction copy
     * and its write-ahead log: an open refused as locked must not have touched either.
     */
    @Test
    void anOpenRefusedBecauseAnotherProcessHoldsTheFolderLeavesItsFilesAlone() throws Exception {
        // a plain MVStore holds the file lock as another process's store would; the registry of
        // folders open in this JVM does not know it, so the open goes as far as the file lock
        MVStore other = new MVStore.Builder().fileName(dir.resolve(StoreFiles.FILE_NAME).toString()).open();
        try {
            java.nio.file.Path copy = dir.resolve(StoreFiles.COMPACT_FILE_NAME);
            java.nio.file.Path wal = dir.resolve(WriteAheadLog.FILE_NAME);
            java.nio.file.Files.write(copy, new byte[] {1, 2, 3});
            java.nio.file.Files.write(wal, new byte[] {4, 5, 6});
            BlazeException e = assertThrows(BlazeException.class, this::open);
            assertEquals(ErrorCode.DATA_FOLDER_LOCKED, e.code());
            assertTrue(java.nio.file.Files.exists(copy), "the refused open deleted the other store's compaction copy");
            assertArrayEquals(new byte[] {1, 2, 3}, java.nio.file.Files.readAllBytes(copy));
            assertArrayEquals(new byte[] {4, 5, 6}, java.nio.file.Files.readAllBytes(wal), "the refused open changed the other store's log");
        } finally {
            other.close();
        }
    }

    @Test
    void aFolderFromANewerFormatIsRefused() {
        open().close();
        stores.forget();
        MVStore raw = new MVStore.Builder().fileName(dir.resolve(StoreFiles.FILE_NAME).toString()).open();
        MVMap<String, byte[]> meta = raw.openMap("meta", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        meta.put("format", new BlazeWriter().writeVarLong(StoreEngine.FORMAT_VERSION + 1).toByteArray());
        raw.close();
        BlazeException e = assertThrows(BlazeException.class, this::open);
        assertEquals(ErrorCode.FORMAT_TOO_NEW, e.code());
        assertTrue(e.getMessage().contains("upgrade"), e.getMessage());
        // and the folder is not left locked
        assertEquals(ErrorCode.FORMAT_TOO_NEW, assertThrows(BlazeException.class, this::open).code());
    }

    @Test
    void aFolderFromTheEarlierFormatIsRefusedUntouched() {
        open().close();
        stores.forget();
        MVStore raw = new MVStore.Builder().fileName(dir.resolve(StoreFiles.FILE_NAME).toString()).open();
        MVMap<String, byte[]> meta = raw.openMap("meta", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        byte[] formatOne = new BlazeWriter().writeVarLong(1).toByteArray();
        meta.put("format", formatOne);
        raw.close();
        BlazeException e = assertThrows(BlazeException.class, this::open);
        assertEquals(ErrorCode.FORMAT_TOO_OLD, e.code());
        assertTrue(e.getMessage().contains("store format 1") && e.getMessage().contains("export"), e.getMessage());
        assertEquals(ErrorCode.FORMAT_TOO_OLD, assertThrows(BlazeException.class, this::open).code(), "refused again: nothing was rewritten");
        MVStore after = new MVStore.Builder().fileName(dir.resolve(StoreFiles.FILE_NAME).toString()).readOnly().open();
        MVMap<String, byte[]> metaAfter = after.openMap("meta", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        assertArrayEquals(formatOne, metaAfter.get("format"));
        after.close();
    }

    @Test
    void aFullDiskFailsTheWriteAndWritesNothing() {
        StoreEngine s = open(StoreOptions.defaults("test", dir).withMinFreeBytes(Long.MAX_VALUE));
        BlazeException e = assertThrows(BlazeException.class, () -> s.collection("c").put("a", doc("v", 1)));
        assertEquals(ErrorCode.DISK_FULL, e.code());
        assertTrue(e.getMessage().contains("Free some space"), e.getMessage());
        assertEquals(Optional.empty(), s.collection("c").get("a"));
        assertEquals(0, s.log().lastPosition());
        assertEquals(0, s.collection("c").count());
    }

    @Test
    void aCommitThatFailsOnTheDiskIsNotAppliedAndTheStoreGoesOn() {
        StoreEngine s = open();
        s.collection("c").put("before", doc("v", 1));
        failNextSync(s);
        BlazeException e = assertThrows(BlazeException.class, () -> s.collection("c").put("failed", doc("v", 2)));
        assertEquals(ErrorCode.DISK_FULL, e.code());
        assertEquals(Optional.empty(), s.collection("c").get("failed"), "the failed write is not visible");
        assertEquals(1, s.log().lastPosition());
        Document after = s.collection("c").put("after", doc("v", 3));
        assertEquals(2, after.lastOp().sequence(), "the failed write used up no sequence number");
        assertEquals(1, s.log().read(1).next().operation().id().sequence() - 1);
        s.close();
        stores.forget();
        StoreEngine again = open();
        assertEquals(Optional.empty(), again.collection("c").get("failed"), "nor is it after a restart");
        assertEquals(doc("v", 1), again.collection("c").get("before").orElseThrow().fields());
        assertEquals(doc("v", 3), again.collection("c").get("after").orElseThrow().fields());
        assertEquals(2, again.collection("c").count());
        assertEquals(2, again.log().lastPosition());
    }

    /**
     * Makes the store's next fdatasync fail as a full disk does, and the ones after it succeed.
     *
     * @return set it again to fail the next one too
     */
    private static java.util.concurrent.atomic.AtomicBoolean failNextSync(StoreEngine s) {
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean(true);
        s.syncFault = () -> {
            if (once.getAndSet(false)) {
                throw new java.io.IOException("No space left on device");
            }
        };
        return once;
    }

    /**
     * The failed group's record stays in the write-ahead log file, right after the last group the
     * reopened file holds; a restart with no write in between once replayed it, bringing back a
     * write reported as failed.
     */
    @Test
    void aWriteThatFailedOnTheDiskStaysFailedAfterARestartWithNoWriteBetween() {
        StoreEngine s = open();
        s.collection("c").put("before", doc("v", 1));
        failNextSync(s);
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> s.collection("c").put("failed", doc("v", 2))).code());
        s.close();
        stores.forget();
        StoreEngine again = open();
        assertEquals(Optional.empty(), again.collection("c").get("failed"), "the failed write does not come back");
        assertEquals(1, again.log().lastPosition());
        assertEquals(1, again.version().get(again.nodeId()));
        Document next = again.collection("c").put("next", doc("v", 3));
        assertEquals(2, next.lastOp().sequence(), "its sequence number is free");
    }

    /**
     * A failed commit closes the store's file and reopens it at the last good commit; a point read
     * or a scan in between waits for the reopened file instead of failing with the storage engine's
     * "closed" or finding acknowledged documents missing.
     */
    @Test
    void aReadDuringTheRecoveryFromAFailedCommitWaitsForTheReopenedFile() throws Exception {
        StoreEngine s = open(StoreOptions.defaults("test", dir).withDocumentCacheMb(0)); // every read goes to the file
        Collection c = s.collection("c");
        c.put("x", doc("v", 1));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    assertEquals(doc("v", 1), c.get("x").orElseThrow().fields());
                    // "y" of the failing group may show: reads see a group once it is applied
                    List<String> ids = drain(c.scan("")).stream().map(Document::id).toList();
                    assertTrue(ids.equals(List.of("x")) || ids.equals(List.of("x", "y")), ids::toString);
                    reads.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reads.get() < 1000 && failure.get() == null) {
            assertTrue(System.nanoTime() < deadline, "the reader reads");
            Thread.onSpinWait();
        }
        java.util.concurrent.atomic.AtomicBoolean once = failNextSync(s);
        for (int i = 0; i < 20; i++) { // each failed commit is one recovery for the reader to run into
            once.set(true);
            assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> c.put("y", doc("v", 2))).code());
        }
        stop.set(true);
        reader.join(10_000);
        assertNull(failure.get(), () -> "a read failed during a recovery: " + failure.get());
        assertEquals(doc("v", 1), c.get("x").orElseThrow().fields());
    }

    @Test
    void scanReturnsLiveDocumentsInIdOrderFromAnId() {
        StoreEngine s = open();
        Collection c = s.collection("c");
        for (String id : new String[] {"b", "a", "d", "c", "\uD83D\uDE00", "\uFFFD"}) {
            c.put(id, doc("id", id));
        }
        c.delete("c");
        assertEquals(List.of("a", "b", "d", "\uFFFD", "\uD83D\uDE00"), drain(c.scan("")).stream().map(Document::id).toList(),
                "code point order: U+FFFD before U+1F600");
        assertEquals(List.of("d", "\uFFFD", "\uD83D\uDE00"), drain(c.scan("c")).stream().map(Document::id).toList());
        assertEquals(List.of(), drain(s.collection("empty").scan("")));
    }

    @Test
    void relaxedDurabilityAcknowledgesAndSyncsWithinTheInterval() throws Exception {
        StoreEngine s = open(StoreOptions.defaults("test", dir).withDurability(Durability.RELAXED));
        s.collection("c").put("a", doc("v", 1));
        assertEquals(1, s.collection("c").count());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (s.log().lastPosition() < 1) {
            assertTrue(System.nanoTime() < deadline, "the relaxed sync publishes the write");
            Thread.onSpinWait();
        }
        s.close();
        assertEquals(doc("v", 1), open().collection("c").get("a").orElseThrow().fields());
    }

    @Test
    void aLargeBatchOfNewDocumentsIsCommittedAsACheckpointNotLogged() {
        StoreEngine s = open();
        s.collection("c").put("small", doc("v", 1));
        assertEquals(0, s.largeGroupCheckpoints, "a small write goes to the write-ahead log");
        String pad = "p".repeat(1000);
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 300; i++) { // about 600 KiB of records
            batch.put("c", String.format("d%04d", i), doc("n", i, "pad", pad));
        }
        s.write(batch);
        assertEquals(1, s.largeGroupCheckpoints, "the batch was committed as a checkpoint");
        s.collection("c").put("after", doc("v", 2));
        s.close();
        stores.forget();
        StoreEngine again = open();
        assertEquals(302, again.collection("c").count());
        assertEquals(doc("n", 299, "pad", pad), again.collection("c").get("d0299").orElseThrow().fields());
        assertEquals(doc("v", 2), again.collection("c").get("after").orElseThrow().fields());
        assertEquals(302, again.log().lastPosition());
    }

    @Test
    void aLargeBatchSpreadOverTheWholeFileIsLogged() {
        StoreEngine s = open();
        for (int from = 0; from < 20_000; from += 2_000) {
            WriteBatch batch = new WriteBatch();
            for (int i = from; i < from + 2_000; i++) {
                batch.put("c", String.format("d%05d", i), doc("n", i, "text", "some text to make it longer " + i));
            }
            s.write(batch);
        }
        s.checkpointNanos = Long.MAX_VALUE; // no idle checkpoint between the batches: the counter tells the path taken
        int before = s.largeGroupCheckpoints;
        WriteBatch scattered = new WriteBatch();
        for (int i = 0; i < 20_000; i += 5) { // one document in five: every page of the collection changes
            scattered.patch("c", String.format("d%05d", i), org.blazedb.api.Patch.builder().set("n", Value.of(-i)).build());
        }
        s.write(scattered);
        assertEquals(before, s.largeGroupCheckpoints, "its pages are many times its log record: it goes to the log");
        s.close();
        stores.forget();
        StoreEngine again = open();
        assertEquals(Value.of(-19_995L), again.collection("c").get("d19995").orElseThrow().fields().entries().get("n"));
        assertEquals(20_000 + 4_000, again.log().lastPosition());
    }

    @Test
    void closedStoreRefusesWork() {
        StoreEngine s = open();
        s.close();
        assertEquals(ErrorCode.STORE_CLOSED, assertThrows(BlazeException.class, () -> s.collection("c").put("a", doc())).code());
        assertEquals(ErrorCode.STORE_CLOSED, assertThrows(BlazeException.class, () -> s.collection("c").get("a")).code());
    }
}
