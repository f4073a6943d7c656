package org.blazedb.resolver.merge.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

class FieldMergeResolverTest {
    private static final NodeId A = new NodeId(0, 1);
    private static final NodeId B = new NodeId(0, 2);
    private final FieldMergeResolver resolver = new FieldMergeResolver();

    @Test
    void differentFieldsAreBothKeptSameFieldByLaterStamp() {
        Hlc base = new Hlc(1, 0, A);
        Hlc t2 = new Hlc(2, 0, A);
        Hlc t3 = new Hlc(3, 0, B);
        DocumentVersion local = version(MapValue.builder().put("name", "x").put("a", 1).put("s", "local").build(),
                stamps("name", base, "a", t2, "s", t2), t2);
        DocumentVersion incoming = version(MapValue.builder().put("name", "x").put("b", 2).put("s", "incoming").build(),
                stamps("name", base, "b", t3, "s", t3), t3);
        MapValue expected = MapValue.builder().put("name", "x").put("a", 1).put("b", 2).put("s", "incoming").build();
        assertEquals(expected, resolver.resolve(conflict(local, incoming)).result().fields());
        assertEquals(expected, resolver.resolve(conflict(incoming, local)).result().fields());
        assertEquals(t3, resolver.resolve(conflict(local, incoming)).result().stamp());
    }

    @Test
    void deleteFallsBackToLastWriterWins() {
        DocumentVersion write = DocumentVersion.uniform(MapValue.builder().put("x", 1).build(), new Hlc(10, 0, A));
        DocumentVersion delete = DocumentVersion.tombstone(new Hlc(11, 0, B));
        assertTrue(resolver.resolve(conflict(write, delete)).result().deleted());
        DocumentVersion later = DocumentVersion.uniform(MapValue.builder().put("x", 2).build(), new Hlc(12, 0, A));
        assertEquals(later, resolver.resolve(conflict(delete, later)).result());
    }

    private static TreeMap<String, Hlc> stamps(Object... pairs) {
        TreeMap<String, Hlc> map = new TreeMap<>(Value.KEY_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Hlc) pairs[i + 1]);
        }
        return map;
    }

    private static DocumentVersion version(MapValue fields, TreeMap<String, Hlc> stamps, Hlc stamp) {
        return new DocumentVersion(fields, false, stamp, stamps);
    }

    /** A conflict whose incoming side came from a patch (so its per-field stamps are as given). */
    private static Conflict conflict(DocumentVersion local, DocumentVersion incoming) {
        OperationKind kind = incoming.deleted() ? OperationKind.DELETE : OperationKind.PATCH;
        Operation op = new Operation(new OpId(incoming.stamp().node(), 1), incoming.stamp(), "c", "d",
                kind, incoming.fields(), Operation.noUnset(), VersionVector.EMPTY);
        return new Conflict("c", "d", local, incoming, op);
    }

    @Test
    void twoConcurrentPutsMergeAlikeWhateverTheReplicaShowsAsIncoming() {
        Hlc t1 = new Hlc(1, 0, A);
        Hlc t2 = new Hlc(2, 0, B);
        Operation putA = new Operation(new OpId(A, 1), t1, "c", "d", OperationKind.PUT,
                MapValue.builder().put("a", 1).build(), Operation.noUnset(), VersionVector.EMPTY);
        Operation putB = new Operation(new OpId(B, 1), t2, "c", "d", OperationKind.PUT,
                MapValue.builder().put("b", 2).build(), Operation.noUnset(), VersionVector.EMPTY);
        DocumentVersion a = DocumentVersion.uniform(putA.fields(), t1);
        DocumentVersion b = DocumentVersion.uniform(putB.fields(), t2);
        // the replica holding a receives b; the replica holding b receives a and (as a store
        // replaying in clock order may) presents the clock-ordered state as "incoming"
        MapValue onFirst = resolver.resolve(new Conflict("c", "d", a, b, putB)).result().fields();
        MapValue onSecond = resolver.resolve(new Conflict("c", "d", b, b, putA)).result().fields();
        assertEquals(MapValue.builder().put("a", 1).put("b", 2).build(), onFirst);
        assertEquals(onFirst, onSecond);
    }

    /** A patch removed the field after the other side last set it: the removal wins, on both sides. */
    @Test
    void aLaterRemovalBeatsAnEarlierValueAndAnEarlierRemovalLoses() {
        Hlc t1 = new Hlc(1, 0, A);
        Hlc t2 = new Hlc(2, 0, B);
        Hlc t3 = new Hlc(3, 0, A);
        DocumentVersion removedAtT2 = new DocumentVersion(MapValue.builder().put("a", 1).build(), false, t2,
                stamps("a", t1), stamps("f", t2));
        DocumentVersion setAtT1 = version(MapValue.builder().put("a", 1).put("f", "old").build(), stamps("a", t1, "f", t1), t1);
        DocumentVersion setAtT3 = version(MapValue.builder().put("a", 1).put("f", "new").build(), stamps("a", t1, "f", t3), t3);
        for (DocumentVersion[] pair : new DocumentVersion[][] {{removedAtT2, setAtT1}, {setAtT1, removedAtT2}}) {
            DocumentVersion merged = resolver.resolve(conflict(pair[0], pair[1])).result();
            assertEquals(MapValue.builder().put("a", 1).build(), merged.fields(), "removed at t2 beats set at t1");
            assertEquals(t2, merged.removedStamps().get("f"));
        }
        for (DocumentVersion[] pair : new DocumentVersion[][] {{removedAtT2, setAtT3}, {setAtT3, removedAtT2}}) {
            assertEquals(setAtT3.fields(), resolver.resolve(conflict(pair[0], pair[1])).result().fields(),
                    "set at t3 beats removed at t2");
        }
    }

    /** Equal stamps with a delete involved keep the incoming side, as lww does. */
    @Test
    void equalStampsWithADeleteKeepTheIncomingSideAsLww() {
        Hlc t = new Hlc(5, 0, A);
        DocumentVersion tombstone = DocumentVersion.tombstone(t);
        DocumentVersion live = DocumentVersion.uniform(MapValue.builder().put("x", 1).build(), t);
        assertEquals(live, resolver.resolve(conflict(tombstone, live)).result());
        assertTrue(resolver.resolve(conflict(live, tombstone)).result().deleted());
    }
}
