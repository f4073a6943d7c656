package org.blazedb.store.impl;

import static org.blazedb.store.impl.StoreEngineTest.doc;
import static org.blazedb.store.impl.StoreEngineTest.drain;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each origin's map holds one entry per run of that origin's operations at consecutive log
 * positions (store format 3): the runs are broken by other origins' operations, by restarts and by
 * recoveries, and every sequence of every origin is still found where the log holds it. A folder of
 * format 2 (one entry per operation) is read as it is and marked 3.
 */
class OriginRunsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    private StoreEngine open(String name) {
        return stores.open(dir, name);
    }

    private void close(StoreEngine e) {
        stores.close(e);
    }

    private static WriteBatch batch(String prefix, int n) {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < n; i++) {
            b.put("c", String.format("%s-%04d", prefix, i), doc("n", i));
        }
        return b;
    }

    private static List<Operation> log(StoreEngine s) {
        return drain(s.log().read(0)).stream().map(Change::operation).toList();
    }

    /** @return how many entries the origin's map holds (0 without a map) */
    private static long entries(StoreEngine s, NodeId origin) {
        MVMap<Long, Long> map = s.files.origin(origin, false);
        return map == null ? 0 : map.sizeAsLong();
    }

    /**
     * For every origin the store holds and every sequence k from 0 to its last: a peer that has
     * everything but that origin's operations after k is sent exactly those, in log order.
     */
    private static void assertEverySequenceIsFound(StoreEngine s) {
        List<Change> changes = drain(s.log().read(0));
        List<Operation> all = changes.stream().map(Change::operation).toList();
        VersionVector held = s.version();
        assertEquals(all.size(), held.entries().values().stream().mapToLong(Long::longValue).sum(), "the log holds every operation once");
        for (Change change : changes) {
            OpId id = change.operation().id();
            assertEquals(change.position(), StoreEngine.positionOf(s.files.origin(id.origin(), false), id.sequence()),
                    "the runs place " + id + " where the log holds it");
        }
        for (Map.Entry<NodeId, Long> e : held.entries().entrySet()) {
            NodeId origin = e.getKey();
            for (long k = 0; k <= e.getValue(); k++) {
                VersionVector known = held.with(origin, k);
                long after = k;
                List<OpId> expected = all.stream().map(Operation::id).filter(id -> id.origin().equals(origin) && id.sequence() > after).toList();
                List<OpId> sent = drain(s.operationsMissingFrom(known)).stream().map(Operation::id).toList();
                assertEquals(expected, sent, "origin " + origin + " from sequence " + (k + 1));
                List<OpId> encoded = drain(s.encodedOperationsMissingFrom(known)).stream().map(o -> o.id()).toList();
                assertEquals(expected, encoded, "encoded, origin " + origin + " from sequence " + (k + 1));
            }
        }
    }

    @Test
    void aBatchOfLocalWritesIsOneRunAndSingleWritesContinueIt() {
        StoreEngine a = open("a");
        a.write(batch("x", 500));
        assertEquals(1, entries(a, a.nodeId()), "500 operations at positions 1..500: one run");
        for (int i = 0; i < 10; i++) {
            a.collection("c").put("single-" + i, doc("i", i));
        }
        assertFalse(a.collection("c").delete("missing"), "writes nothing, takes no sequence");
        a.collection("c").delete("single-3");
        assertEquals(1, entries(a, a.nodeId()), "the writes that follow continue the run");
        assertEquals(511, a.version().get(a.nodeId()));
        assertEverySequenceIsFound(a);
    }

    @Test
    void runsBrokenByOtherOriginsRestartsAndARecoveryStillFindEverySequence() {
        StoreEngine b = open("b");
        StoreEngine c = open("c");
        b.write(batch("b", 40));
        c.write(batch("c", 30));
        List<Operation> fromB = log(b);
        List<Operation> fromC = log(c);

        StoreEngine a = open("a");
        a.checkpointNanos = Long.MAX_VALUE; // small groups stay in the write-ahead log until the recovery below
        a.write(batch("a1", 25)); // a: 1..25
        a.apply(b.nodeId(), fromB.subList(0, 10), ReplicaTest.LWW); // b: 1..10
        a.collection("c").put("a-single", doc("v", 1)); // a: 26
        // b and c interleaved within one batch: each operation breaks the other's run
        List<Operation> mixed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            mixed.add(fromB.get(10 + i));
            mixed.add(fromC.get(i));
        }
        a.apply(c.nodeId(), mixed, ReplicaTest.LWW); // b: 11..20, c: 1..10
        a.write(batch("a2", 20)); // a: 27..46
        assertEquals(3, entries(a, a.nodeId()), "a's runs: 1..25, 26, 27..46");
        assertEquals(11, entries(a, b.nodeId()), "b's runs: 1..11, then one per interleaved operation");
        assertEverySequenceIsFound(a);

        // a failed commit reopens the file and replays the acknowledged groups from the write-ahead log
        a.syncFault = new StoreEngine.Fault() {
            private boolean failed;

            @Override
            public void check() throws java.io.IOException {
                if (!failed) {
                    failed = true;
                    throw new java.io.IOException("No space left on device");
                }
            }
        };
        assertEquals(ErrorCode.DISK_FULL, assertThrows(BlazeException.class, () -> a.collection("c").put("lost", doc("v", 2))).code());
        assertEquals(46, a.version().get(a.nodeId()));
        assertEverySequenceIsFound(a);
        a.apply(b.nodeId(), fromB.subList(20, 30), ReplicaTest.LWW); // b: 21..30, a new run after the recovery
        a.collection("c").put("after-recovery", doc("v", 3)); // a: 47
        assertEverySequenceIsFound(a);

        close(a);
        StoreEngine again = open("a");
        assertEverySequenceIsFound(again);
        again.collection("c").put("after-restart", doc("v", 4)); // a: 48, a new run: the restart forgot the last one
        again.apply(b.nodeId(), fromB.subList(30, 40), ReplicaTest.LWW);
        again.apply(c.nodeId(), fromC.subList(10, 30), ReplicaTest.LWW);
        again.write(batch("a3", 5));
        assertEquals(53, again.version().get(again.nodeId()));
        assertEquals(40, again.version().get(b.nodeId()));
        assertEquals(30, again.version().get(c.nodeId()));
        assertEverySequenceIsFound(again);
        close(again);
        assertEverySequenceIsFound(open("a"));
    }

    @Test
    void aFolderOfStoreFormat2IsReadAsItIsAndMarked3() throws Exception {
        StoreEngine b = open("b");
        b.write(batch("b", 12));
        StoreEngine a = open("a");
        a.write(batch("a", 8));
        a.apply(b.nodeId(), log(b), ReplicaTest.LWW);
        a.collection("c").put("last", doc("v", 1));
        NodeId node = a.nodeId();
        close(a);

        // What a format-2 build leaves: one origin entry per operation, format 2 in meta.
        Path file = dir.resolve("a").resolve(StoreFiles.FILE_NAME);
        MVStore raw = StoreFiles.storeBuilder(file, 16).open();
        MVMap<Long, byte[]> logMap = raw.openMap("log", StoreFiles.builder("log"));
        Map<NodeId, TreeMap<Long, Long>> perOperation = new LinkedHashMap<>();
        for (Iterator<Long> i = logMap.keyIterator(null); i.hasNext(); ) {
            long position = i.next();
            OpId id = LogRecords.decode(position, logMap.get(position)).id();
            perOperation.computeIfAbsent(id.origin(), n -> new TreeMap<>()).put(id.sequence(), position);
        }
        for (Map.Entry<NodeId, TreeMap<Long, Long>> e : perOperation.entrySet()) {
            MVMap<Long, Long> origin = raw.openMap("o." + e.getKey(), StoreFiles.builder("o." + e.getKey()));
            origin.clear();
            origin.putAll(e.getValue());
        }
        MVMap<String, byte[]> meta = raw.openMap("meta", StoreFiles.builder("meta"));
        meta.put("format", new BlazeWriter().writeVarLong(2).toByteArray());
        raw.commit();
        raw.close();

        StoreEngine opened = open("a");
        assertEquals(node, opened.nodeId());
        assertEquals(9, entries(opened, node), "the format-2 entries are read as they are");
        assertEverySequenceIsFound(opened);
        byte[] format = opened.files.meta.get("format");
        assertEquals(StoreEngine.FORMAT_VERSION, new BlazeReader(format).readVarLong(), "marked as the format it now holds");
        opened.write(batch("z", 10));
        assertEquals(10, entries(opened, node), "new writes add runs");
        assertEverySequenceIsFound(opened);
        close(opened);
        assertEverySequenceIsFound(open("a"));
    }

    @Test
    void aFolderOfAFormatBeforeTwoIsStillRefused() throws Exception {
        close(open("a"));
        MVStore raw = StoreFiles.storeBuilder(dir.resolve("a").resolve(StoreFiles.FILE_NAME), 16).open();
        raw.openMap("meta", StoreFiles.<String, byte[]>builder("meta")).put("format", new BlazeWriter().writeVarLong(1).toByteArray());
        raw.commit();
        raw.close();
        BlazeException e = assertThrows(BlazeException.class, () -> open("a"));
        assertEquals(ErrorCode.FORMAT_TOO_OLD, e.code());
        assertTrue(e.getMessage().contains("store formats 2 to 3"), e.getMessage());
    }
}
