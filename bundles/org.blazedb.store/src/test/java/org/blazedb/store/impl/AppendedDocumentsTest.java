package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.IntValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puts of ids greater than every id of their collection skip the read of the old state and are
 * appended to the map's page buffer ({@code LocalWrite}, {@code StoreEngine.writeDocument}); mixed
 * with puts of smaller ids, repeated ids, deletes and patches in one batch, the store must hold
 * exactly what one put at a time gives, in the map's id order, before and after a restart.
 */
class AppendedDocumentsTest {
    @TempDir
    Path dir;

    private static MapValue doc(long n) {
        return MapValue.builder().put("n", n).build();
    }

    @Test
    void appendedAndPutDocumentsMixedInOneBatchReadBackExactly() {
        List<String> expectedIds;
        List<OperationKind> expectedKinds = new ArrayList<>();
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            Collection c = s.collection("c");
            c.put("m1", doc(1));
            c.put("m5", doc(5));
            WriteBatch batch = new WriteBatch()
                    .put("c", "z1", doc(10))          // greater than m5: appended
                    .put("c", "a0", doc(11))          // smaller: read and put
                    .put("c", "z2", doc(12))          // appended
                    .put("c", "z1", doc(13))          // repeated in the batch: from the batch's own state
                    .delete("c", "z2")                // a tombstone over an appended document
                    .put("c", "m3", doc(14))          // between existing ids
                    .put("c", "\uFFFD", doc(15))      // greater than z2: appended
                    .put("c", "\uD83D\uDE00", doc(16)) // U+1F600 sorts after U+FFFD by code point: appended
                    .put("c", "zz", doc(17))          // smaller than both by code point: put
                    .put("other", "x", doc(18));      // another collection, empty: appended
            List<Document> done = s.write(batch);
            assertEquals(10, done.size());
            for (int i = 0; i < 10; i++) {
                expectedKinds.add(i == 4 ? OperationKind.DELETE : OperationKind.PUT);
            }
            assertEquals(Value.of(13L), done.get(3).fields().get("n").orElseThrow());
            assertTrue(done.get(4).deleted());
            // a second batch appends after the first's greatest id, and patches an appended document
            s.write(new WriteBatch().put("c", "\uD83D\uDE01", doc(19)).patch("c", "z1", org.blazedb.api.Patch.builder()
                    .set("p", Value.of(true)).build()));
            expectedKinds.add(OperationKind.PUT);
            expectedKinds.add(OperationKind.PATCH);
            expectedIds = check(s);
            assertEquals(expectedKinds, logKinds(s).subList(2, 14));
        }
        try (StoreEngine again = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            assertEquals(expectedIds, check(again));
            assertEquals(expectedKinds, logKinds(again).subList(2, 14));
            assertEquals(VersionVector.EMPTY.with(again.nodeId(), 14), again.version());
        }
    }

    @Test
    void writesOtherThanPutsOfGreaterIdsKeepTheMapInOrder() {
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            s.collection("c").put("m", doc(1));
            // a tombstone for a missing "zz9" (greater than every id) comes before puts of "zz5"
            // (between "m" and "zz9") and of "zz9" itself
            s.write(new WriteBatch().delete("c", "zz9").put("c", "zz5", doc(2)).put("c", "zz9", doc(3)).put("c", "zz7", doc(4)));
            // a delete of a missing document through Collection.delete writes nothing
            assertFalse(s.collection("c").delete("zzz"));
            s.write(new WriteBatch().put("c", "zzy", doc(5)).put("c", "zzz", doc(6)));
            Collection c = s.collection("c");
            List<String> ids = new ArrayList<>();
            try (Cursor<Document> all = c.scan("")) {
                all.forEachRemaining(d -> ids.add(d.id()));
            }
            assertEquals(List.of("m", "zz5", "zz7", "zz9", "zzy", "zzz"), ids);
            assertEquals(3, n(c, "zz9"));
            assertEquals(6, c.count());
        }
        try (StoreEngine again = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            List<String> ids = new ArrayList<>();
            try (Cursor<Document> all = again.collection("c").scan("")) {
                all.forEachRemaining(d -> ids.add(d.id()));
            }
            assertEquals(List.of("m", "zz5", "zz7", "zz9", "zzy", "zzz"), ids);
            assertEquals(4, n(again.collection("c"), "zz7"));
        }
    }

    /** Checks every document's value and that a scan lists them in id order; @return the ids scanned */
    private static List<String> check(StoreEngine s) {
        Collection c = s.collection("c");
        assertEquals(1, n(c, "m1"));
        assertEquals(5, n(c, "m5"));
        assertEquals(13, n(c, "z1"));
        assertTrue(c.get("z1").orElseThrow().fields().get("p").isPresent());
        assertTrue(c.get("z2").isEmpty());
        assertTrue(c.getIncludingDeleted("z2").orElseThrow().deleted());
        assertEquals(11, n(c, "a0"));
        assertEquals(14, n(c, "m3"));
        assertEquals(15, n(c, "\uFFFD"));
        assertEquals(16, n(c, "\uD83D\uDE00"));
        assertEquals(19, n(c, "\uD83D\uDE01"));
        assertEquals(17, n(c, "zz"));
        assertEquals(18, n(s.collection("other"), "x"));
        assertEquals(9, c.count());
        List<String> ids = new ArrayList<>();
        try (Cursor<Document> all = c.scan("")) {
            all.forEachRemaining(d -> ids.add(d.id()));
        }
        TreeSet<String> byCodePoint = new TreeSet<>(Value.KEY_ORDER);
        byCodePoint.addAll(ids);
        assertEquals(new ArrayList<>(byCodePoint), ids, "a scan lists ids in code point order");
        assertEquals(List.of("a0", "m1", "m3", "m5", "z1", "zz", "\uFFFD", "\uD83D\uDE00", "\uD83D\uDE01"), ids);
        return ids;
    }

    private static long n(Collection c, String id) {
        return ((IntValue) c.get(id).orElseThrow(() -> new AssertionError("missing " + id)).fields().get("n").orElseThrow()).value();
    }

    private static List<OperationKind> logKinds(StoreEngine s) {
        List<OperationKind> kinds = new ArrayList<>();
        try (Cursor<Operation> log = s.operationsMissingFrom(VersionVector.EMPTY)) {
            log.forEachRemaining(op -> kinds.add(op.kind()));
        }
        return kinds;
    }

    /**
     * A batch that only creates documents with ever-greater ids in one collection is written as a
     * whole ({@code StoreEngine.writeCreatedDocuments}): the documents, their index entries, the live count, the log and
     * the greatest id (which decides whether the next batch appends) are what one put at a time
     * gives, before and after a restart.
     */
    @Test
    void batchesThatOnlyCreateDocumentsKeepIndexesCountsAndTheGreatestId() {
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            Collection c = s.collection("c");
            c.createIndex("n");
            for (int[] batch : new int[][] {{0, 50}, {50, 300}, {300, 301}, {301, 700}}) {
                WriteBatch b = new WriteBatch();
                for (int i = batch[0]; i < batch[1]; i++) {
                    b.put("c", String.format("k%05d", i), MapValue.builder().put("n", (long) i % 7).put("i", (long) i).build());
                }
                List<Document> done = s.write(b);
                assertEquals(batch[1] - batch[0], done.size());
                assertEquals(Value.of((long) batch[0]), done.get(0).fields().get("i").orElseThrow());
            }
            WriteBatch mixed = new WriteBatch()
                    .put("c", "k00010", doc(100))   // an existing id: not a creation, written one by one
                    .put("c", "k99999", doc(101));  // greater than every id created above
            s.write(mixed);
            assertEquals(701, c.count());
            assertEquals(Value.of(100L), c.get("k00010").orElseThrow().fields().get("n").orElseThrow());
            checkCreated(s, c);
        }
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            Collection c = s.collection("c");
            assertEquals(701, c.count());
            checkCreated(s, c);
            s.write(new WriteBatch().put("c", "k99998", doc(3))); // smaller than the greatest: put, not appended
            assertEquals(702, c.count());
            List<String> ids = new ArrayList<>();
            try (Cursor<Document> all = c.scan("")) {
                all.forEachRemaining(d -> ids.add(d.id()));
            }
            List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
            assertEquals(sorted, ids, "the map is in id order");
        }
    }

    private static void checkCreated(StoreEngine s, Collection c) {
        for (long n = 0; n < 7; n++) {
            long expected = 0;
            for (int i = 0; i < 700; i++) {
                if (i != 10 && i % 7 == n) {
                    expected++;
                }
            }
            try (Cursor<Document> found = c.find(org.blazedb.api.Query.builder().where(org.blazedb.api.Filter.eq("n", Value.of(n))).build())) {
                long count = 0;
                while (found.hasNext()) {
                    Document d = found.next();
                    assertEquals(Value.of(n), d.fields().get("n").orElseThrow());
                    count++;
                }
                assertEquals(expected, count, "documents with n = " + n + " through the index");
            }
        }
        assertEquals(702, s.version().get(s.nodeId()), "one operation per put: 700 created, 2 in the mixed batch");
        for (int i = 0; i < 700; i += 37) {
            assertEquals(Value.of((long) i), c.get(String.format("k%05d", i)).orElseThrow().fields().get("i").orElseThrow());
        }
    }
}
