package org.blazedb.store.impl;

import static org.blazedb.store.impl.StoreEngineTest.doc;
import static org.blazedb.store.impl.StoreEngineTest.drain;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.Patch;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.codec.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTest {
    /** Last writer wins by hybrid clock: the incoming version is the clock-order merge, never older than local. */
    static final ConflictResolver LWW = new ConflictResolver() {
        @Override
        public String name() {
            return "test-lww";
        }

        @Override
        public Resolution resolve(Conflict c) {
            boolean incoming = c.incoming().stamp().compareTo(c.local().stamp()) >= 0;
            return new Resolution(incoming ? c.incoming() : c.local(), incoming ? "incoming is newer" : "local is newer");
        }
    };

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    private StoreEngine open(String name) {
        return stores.open(dir, name);
    }

    private static List<Operation> ops(StoreEngine s) {
        return drain(s.log().read(0)).stream().map(Change::operation).toList();
    }

    @Test
    void applyIsIdempotentAndRecordsThePeer() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        a.collection("c").put("x", doc("v", 1));
        a.collection("c").patch("x", Patch.builder().set("w", Value.of(2)).build());
        List<Operation> sent = ops(a);
        ApplyResult first = b.apply(a.nodeId(), sent, LWW);
        assertEquals(2, first.applied());
        assertEquals(0, first.duplicates());
        assertEquals(a.version(), first.version());
        Document x = b.collection("c").get("x").orElseThrow();
        long logLength = b.log().lastPosition();
        ApplyResult again = b.apply(a.nodeId(), sent, LWW);
        assertEquals(0, again.applied());
        assertEquals(2, again.duplicates());
        assertEquals(x, b.collection("c").get("x").orElseThrow(), "a duplicate changes nothing");
        assertEquals(logLength, b.log().lastPosition());
        assertEquals(a.collection("c").get("x"), b.collection("c").get("x"));
        assertEquals(a.version(), b.peerVersion(a.nodeId()));
        assertEquals(List.of(a.nodeId()), b.knownPeers());
        assertFalse(drain(b.log().read(0)).get(0).local());
    }

    @Test
    void aGapInAnOriginsSequenceRejectsTheWholeBatch() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        for (int i = 0; i < 3; i++) {
            a.collection("c").put("x" + i, doc("v", i));
        }
        List<Operation> sent = ops(a);
        BlazeException e = assertThrows(BlazeException.class, () -> b.apply(a.nodeId(), List.of(sent.get(0), sent.get(2)), LWW));
        assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
        assertEquals(0, b.log().lastPosition(), "nothing of the batch was applied");
        assertEquals(VersionVector.EMPTY, b.version());
        b.apply(a.nodeId(), sent, LWW);
        assertEquals(3, b.collection("c").count());
    }

    @Test
    void receivingAnOperationAdvancesTheClock() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        a.collection("c").put("x", doc());
        Operation op = ops(a).get(0);
        // a stamp far in the future, as from a peer whose clock runs ahead
        Operation future = new Operation(op.id(), new org.blazedb.api.Hlc(op.stamp().wallTime() + 600_000, 5, a.nodeId()),
                op.collection(), op.documentId(), op.kind(), op.fields(), op.unset(), op.context());
        b.apply(a.nodeId(), List.of(future), LWW);
        Document local = b.collection("c").put("y", doc());
        assertTrue(local.version().isAfter(future.stamp()));
        Document overwrite = b.collection("c").put("x", doc("mine", true));
        assertEquals(doc("mine", true), overwrite.fields(), "a local write after seeing an operation supersedes it");
    }

    @Test
    void operationsMissingFromStreamsExactlyWhatAPeerLacks() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        StoreEngine c = open("c");
        a.collection("k").put("1", doc());
        a.collection("k").put("2", doc());
        b.collection("k").put("3", doc());
        c.apply(a.nodeId(), ops(a), LWW);
        c.apply(b.nodeId(), ops(b), LWW);
        c.collection("k").put("4", doc());
        VersionVector knows = VersionVector.EMPTY.with(a.nodeId(), 1);
        List<Operation> missing = drain(c.operationsMissingFrom(knows));
        assertEquals(3, missing.size());
        for (Operation op : missing) {
            assertFalse(knows.contains(op.id()));
        }
        assertEquals(List.of(), drain(c.operationsMissingFrom(c.version())));
        assertEquals(4, drain(c.operationsMissingFrom(VersionVector.EMPTY)).size());
    }

    @Test
    void encodedOperationsAreTheMissingOperationsAsBlazeBinaryEncodesThem() {
        StoreEngine a = open("a");
        StoreEngine c = open("c");
        a.collection("k").put("1", doc("v", 1));
        a.collection("k").patch("1", Patch.builder().set("w", Value.of("two")).unset("v").build());
        a.collection("k").delete("1");
        c.apply(a.nodeId(), ops(a), LWW); // received operations: written to c's log by RemoteApply
        c.collection("k").put("2", doc("n", 2)); // and a local one
        for (VersionVector knows : List.of(VersionVector.EMPTY, VersionVector.EMPTY.with(a.nodeId(), 2), c.version())) {
            List<Operation> decoded = drain(c.operationsMissingFrom(knows));
            List<EncodedOperation> encoded = drain(c.encodedOperationsMissingFrom(knows));
            assertEquals(decoded.size(), encoded.size(), "missing from " + knows);
            for (int i = 0; i < decoded.size(); i++) {
                Operation op = decoded.get(i);
                EncodedOperation e = encoded.get(i);
                assertEquals(op.id(), e.id());
                byte[] expected = BlazeBinary.encodeOperation(op); // a header byte, then the operation
                assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length),
                        Arrays.copyOfRange(e.array(), e.offset(), e.offset() + e.length()));
            }
        }
        assertEquals(4, drain(c.encodedOperationsMissingFrom(VersionVector.EMPTY)).size());
    }

    @Test
    void peerVersionsArePersistedAndNeverMoveBackwards() {
        StoreEngine a = open("a");
        NodeId peer = NodeId.random();
        NodeId other = NodeId.random();
        a.recordPeerVersion(peer, VersionVector.EMPTY.with(other, 5));
        a.recordPeerVersion(peer, VersionVector.EMPTY.with(other, 3).with(peer, 1));
        assertEquals(VersionVector.EMPTY.with(other, 5).with(peer, 1), a.peerVersion(peer));
        stores.close(a);
        StoreEngine again = open("a");
        assertEquals(VersionVector.EMPTY.with(other, 5).with(peer, 1), again.peerVersion(peer));
        assertEquals(VersionVector.EMPTY, again.peerVersion(other));
    }

    @Test
    void concurrentWritesAreDetectedAsConflictsAndResolved() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        a.collection("c").put("x", doc("v", 0));
        b.apply(a.nodeId(), ops(a), LWW);
        a.collection("c").put("x", doc("v", 1));
        b.collection("c").put("x", doc("v", 2));
        ApplyResult r = b.apply(a.nodeId(), ops(a), LWW);
        assertEquals(1, r.conflicts().size());
        assertEquals("test-lww", r.conflicts().get(0).resolver);
        assertEquals("c", r.conflicts().get(0).collection);
        assertNull(r.conflicts().get(0).resolutionOperation, "the merge was kept: no decision written");
        assertEquals(3, b.log().lastPosition(), "a's two operations and b's put, nothing more");
        a.apply(b.nodeId(), ops(b), LWW);
        assertEquals(a.collection("c").get("x").orElseThrow().fields(), b.collection("c").get("x").orElseThrow().fields());
    }

    /**
     * A resolver that decides something other than the deterministic merge: the decision is written
     * as a new local operation in the same commit, reported, and wins on the other replica too.
     */
    @Test
    void aDecisionOtherThanTheMergeIsWrittenAsALocalOperationAndReplicates() {
        ConflictResolver fixed = new ConflictResolver() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public Resolution resolve(Conflict c) {
                return new Resolution(DocumentVersion.uniform(doc("v", 42, "kept", "yes"), c.incoming().stamp()), "always 42");
            }
        };
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        a.collection("c").put("x", doc("v", 0, "gone", 1));
        b.apply(a.nodeId(), ops(a), LWW);
        a.collection("c").put("x", doc("v", 1, "gone", 1));
        b.collection("c").patch("x", Patch.builder().set("v", Value.of(2)).build());
        ApplyResult r = b.apply(a.nodeId(), ops(a), fixed);
        assertEquals(1, r.applied());
        assertEquals(1, r.conflicts().size());
        Operation decision = ops(b).get(ops(b).size() - 1);
        assertEquals(b.nodeId(), decision.id().origin(), "written by the replica that resolved");
        assertEquals(decision.id().toString(), r.conflicts().get(0).resolutionOperation);
        assertEquals(org.blazedb.api.OperationKind.PATCH, decision.kind());
        assertEquals(doc("kept", "yes", "v", 42), decision.fields(), "exactly the fields that differ from the merge");
        assertEquals(java.util.Set.of("gone"), decision.unset());
        assertTrue(decision.context().contains(ops(a).get(1).id()), "the decision saw the incoming operation");
        assertEquals(r.version(), b.version());
        assertEquals(2L, b.version().get(b.nodeId()));
        assertEquals(doc("kept", "yes", "v", 42), b.collection("c").get("x").orElseThrow().fields());

        ApplyResult onA = a.apply(b.nodeId(), ops(b), LWW);
        assertEquals(doc("kept", "yes", "v", 42), a.collection("c").get("x").orElseThrow().fields(),
                "the decision wins on a replica running another resolver");
        assertEquals(a.version(), b.version());
        onA.conflicts().forEach(e -> assertNull(e.resolutionOperation));
    }

    /**
     * A decision whose operation would be over MAX_DOCUMENT_BYTES (here a resolver adding a 16 MiB
     * field) is not written: sync could not be sure to carry it, and every session might end at
     * it. The merge stands, the conflict is reported saying so, and the replicas still converge.
     */
    @Test
    void aDecisionTooLargeToSyncIsNotWrittenAndTheMergeStands() {
        ConflictResolver huge = new ConflictResolver() {
            @Override
            public String name() {
                return "huge";
            }

            @Override
            public Resolution resolve(Conflict c) {
                MapValue fields = MapValue.builder().put("v", 42).put("blob", new BytesValue(new byte[Limits.MAX_DOCUMENT_BYTES - 16]))
                        .build();
                return new Resolution(DocumentVersion.uniform(fields, c.incoming().stamp()), "add a blob");
            }
        };
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        a.collection("c").put("x", doc("v", 0));
        b.apply(a.nodeId(), ops(a), LWW);
        a.collection("c").put("x", doc("v", 1));
        b.collection("c").patch("x", Patch.builder().set("w", Value.of(2)).build());
        VersionVector beforeB = b.version();

        ApplyResult r = b.apply(a.nodeId(), ops(a), huge);
        assertEquals(1, r.conflicts().size());
        assertNull(r.conflicts().get(0).resolutionOperation);
        assertTrue(r.conflicts().get(0).explanation.contains("the resolver's decision was not written"), r.conflicts().get(0).explanation);
        assertEquals(beforeB.get(b.nodeId()), b.version().get(b.nodeId()), "no operation of b's own was written");
        assertTrue(b.collection("c").get("x").orElseThrow().fields().entries().get("blob") == null);

        a.apply(b.nodeId(), ops(b), LWW);
        assertEquals(a.version(), b.version());
        assertEquals(a.collection("c").get("x"), b.collection("c").get("x"));
    }

    /** Two replicas receive the same operations in different orders, duplicated: they end identical. */
    @Test
    void replicasConvergeWhateverTheOrderOfArrival() {
        for (long seed = 1; seed <= 25; seed++) {
            converge(seed);
        }
    }

    private void converge(long seed) {
        Random random = new Random(seed);
        List<StoreEngine> writers = List.of(open("w1-" + seed), open("w2-" + seed), open("w3-" + seed));
        // writers work concurrently on a few documents, seeing each other's writes only sometimes
        for (int step = 0; step < 60; step++) {
            StoreEngine w = writers.get(random.nextInt(3));
            String id = "d" + random.nextInt(4);
            var col = w.collection("c");
            int dice = random.nextInt(10);
            if (dice < 4 || col.get(id).isEmpty() && dice < 8) {
                col.put(id, doc("a", random.nextInt(5), "b", random.nextInt(5)));
            } else if (dice < 8) {
                Patch.Builder p = Patch.builder().set(random.nextBoolean() ? "a" : "c", Value.of(random.nextInt(9)));
                if (random.nextBoolean()) {
                    p.unset("b");
                }
                col.patch(id, p.build());
            } else {
                col.delete(id);
            }
            if (random.nextInt(4) == 0) {
                StoreEngine from = writers.get(random.nextInt(3));
                if (from != w) {
                    w.apply(from.nodeId(), drain(from.operationsMissingFrom(w.version())), LWW);
                }
            }
        }
        List<Operation> all = new ArrayList<>();
        for (StoreEngine w : writers) {
            all.addAll(drain(w.operationsMissingFrom(VersionVector.EMPTY)).stream()
                    .filter(op -> op.id().origin().equals(w.nodeId())).toList());
        }
        StoreEngine r1 = open("r1-" + seed);
        StoreEngine r2 = open("r2-" + seed);
        deliver(r1, all, random, seed);
        deliver(r2, all, random, seed);
        assertEquals(r1.version(), r2.version());
        assertEquals(snapshot(r1), snapshot(r2), "seed " + seed);
        for (StoreEngine w : writers) {
            for (StoreEngine other : writers) {
                if (other != w) {
                    w.apply(other.nodeId(), drain(other.operationsMissingFrom(w.version())), LWW);
                }
            }
            assertEquals(snapshot(r1), snapshot(w), "seed " + seed + ": writer " + w.name() + " after a full sync");
        }
    }

    /** Delivers each origin's operations in sequence, interleaving origins randomly, with duplicates. */
    private static void deliver(StoreEngine target, List<Operation> all, Random random, long seed) {
        Map<NodeId, List<Operation>> byOrigin = new TreeMap<>();
        all.forEach(op -> byOrigin.computeIfAbsent(op.id().origin(), k -> new ArrayList<>()).add(op));
        Map<NodeId, Integer> next = new TreeMap<>();
        List<NodeId> origins = new ArrayList<>(byOrigin.keySet());
        while (!origins.isEmpty()) {
            Collections.shuffle(origins, random);
            NodeId origin = origins.get(0);
            List<Operation> list = byOrigin.get(origin);
            int from = next.getOrDefault(origin, 0);
            int to = Math.min(list.size(), from + 1 + random.nextInt(4));
            int dupFrom = Math.max(0, from - random.nextInt(3));
            target.apply(origin, list.subList(dupFrom, to), LWW);
            next.put(origin, to);
            if (to == list.size()) {
                origins.remove(origin);
            }
        }
    }

    private static Map<String, String> snapshot(StoreEngine s) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            s.collection("c").getIncludingDeleted("d" + i)
                    .ifPresent(d -> out.put(d.id(), d.deleted() ? "<deleted>" : d.fields().toString()));
        }
        return out;
    }
}
