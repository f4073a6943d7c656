package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Filter;
import org.blazedb.api.Query;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code find} cursor behaves like a {@code scan} cursor when the store's file is closed under it:
 * after a failed commit's recovery it goes on from its last key in the reopened file, and once the
 * store is closed it fails with STORE_CLOSED, never with the storage engine's own exception. Whole
 * collection finds and index walks (both directions) are covered, and an index walk whose index
 * is dropped under it.
 */
class FindCursorsTest {
    /** Enough documents, with a small page cache, that a cursor must read pages from the file. */
    private static final int DOCS = 5000;

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    /** A store holding {@link #DOCS} documents "00000".., each with its id as the indexed field "k". */
    private StoreEngine storeWithDocuments() {
        // a 1 MiB page cache for about 2 MiB of records and index entries; no document cache
        StoreEngine s = stores.open(StoreOptions.defaults("test", dir).withCacheSizeMb(1).withDocumentCacheMb(0));
        s.collection("c").createIndex("k");
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < DOCS; i++) {
            String id = id(i);
            // the padding makes the index entries large too, so that the index walk reads the file
            b.put("c", id, MapValue.builder().put("k", Value.of(id + "x".repeat(200))).put("v", Value.of((long) i)).build());
        }
        s.write(b);
        return s;
    }

    private static String id(int i) {
        return String.format("%05d", i);
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(id(i));
        }
        return ids;
    }

    /** Makes the next fsync fail as a full disk would: the commit fails and the store recovers. */
    private static void failNextSync(StoreEngine s) {
        AtomicBoolean once = new AtomicBoolean(true);
        s.syncFault = () -> {
            if (once.getAndSet(false)) {
                throw new java.io.IOException("No space left on device");
            }
        };
    }

    /** Reads one document of {@code query}, makes a commit fail, then reads the rest. */
    private List<String> idsFoundAcrossARecovery(Query query) {
        StoreEngine s = storeWithDocuments();
        Collection c = s.collection("c");
        List<String> found = new ArrayList<>();
        try (Cursor<Document> cursor = c.find(query)) {
            found.add(cursor.next().id());
            int recoveries = s.recoveries;
            failNextSync(s);
            assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> c.put("zzz", MapValue.EMPTY)).code());
            assertEquals(recoveries + 1, s.recoveries, "the failed commit reopened the file");
            cursor.forEachRemaining(d -> found.add(d.id()));
        }
        return found;
    }

    @Test
    void aFindOverTheWholeCollectionGoesOnInTheFileARecoveryReopened() {
        assertEquals(ids(0, DOCS), idsFoundAcrossARecovery(Query.all()));
    }

    @Test
    void aFindWalkingAnIndexUpGoesOnInTheFileARecoveryReopened() {
        assertEquals(ids(0, DOCS), idsFoundAcrossARecovery(Query.builder().orderBy("k").build()));
    }

    @Test
    void aFindWalkingAnIndexDownGoesOnInTheFileARecoveryReopened() {
        List<String> expected = ids(1000, DOCS);
        java.util.Collections.reverse(expected);
        assertEquals(expected, idsFoundAcrossARecovery(Query.builder().where(Filter.gte("k", Value.of(id(1000))))
                .orderBy("k", true).build()));
    }

    /**
     * Dropping the index a find walks does not disturb the walk: MVStore removes the map, but the
     * cursor keeps the pages it started from (space reuse is off, so they are not overwritten), and
     * each document is fetched from the current file and checked.
     */
    @Test
    void aFindWalkingAnIndexThatIsDroppedMeanwhileFinishesItsWalk() {
        StoreEngine s = storeWithDocuments();
        Collection c = s.collection("c");
        List<String> found = new ArrayList<>();
        try (Cursor<Document> cursor = c.find(Query.builder().orderBy("k").build())) {
            found.add(cursor.next().id());
            assertTrue(c.dropIndex("k"));
            c.put("00001", MapValue.builder().put("v", Value.of(-1L)).build()); // no longer has "k": skipped
            cursor.forEachRemaining(d -> found.add(d.id()));
        }
        List<String> expected = ids(0, DOCS);
        expected.remove("00001");
        assertEquals(expected, found);
        assertEquals(java.util.Set.of(), c.indexes());
    }

    /**
     * ... until its file is replaced (here by a failed commit's recovery; a compaction's new file
     * lacks the index too): the new file has no such index, so the walk cannot go on, and says so.
     */
    @Test
    void aFindWalkingADroppedIndexFailsWithInvalidQueryOnceItsFileIsReplaced() {
        StoreEngine s = storeWithDocuments();
        Collection c = s.collection("c");
        try (Cursor<Document> cursor = c.find(Query.builder().orderBy("k").build())) {
            cursor.next();
            c.dropIndex("k");
            failNextSync(s);
            assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> c.put("zzz", MapValue.EMPTY)).code());
            BlazeException e = assertThrows(BlazeException.class, () -> cursor.forEachRemaining(d -> { }));
            assertEquals(ErrorCode.INVALID_QUERY, e.code(), e::toString);
            assertTrue(e.getMessage().contains("was dropped while a query read it"), e.getMessage());
        }
    }

    @Test
    void aFindOverTheWholeCollectionFailsWithStoreClosedOnceTheStoreIsClosed() {
        assertStoreClosedAfterClose(Query.all());
    }

    @Test
    void aFindWalkingAnIndexFailsWithStoreClosedOnceTheStoreIsClosed() {
        assertStoreClosedAfterClose(Query.builder().orderBy("k").build());
    }

    private void assertStoreClosedAfterClose(Query query) {
        StoreEngine s = storeWithDocuments();
        Cursor<Document> cursor = s.collection("c").find(query);
        cursor.next();
        stores.close(s);
        BlazeException e = assertThrows(BlazeException.class, () -> cursor.forEachRemaining(d -> { }));
        assertEquals(ErrorCode.STORE_CLOSED, e.code(), e::toString);
    }
}
