package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;

class VectorsTest {
    private static final NodeId A = new NodeId(1, 2);
    private static final NodeId B = new NodeId(3, 4);

    private static Operation op(NodeId origin, long seq) {
        return new Operation(new OpId(origin, seq), new Hlc(1_700_000_000_000L + seq, 0, origin), "c", "d" + seq,
                OperationKind.PUT, MapValue.EMPTY, Operation.noUnset(), VersionVector.EMPTY);
    }

    private static List<Operation> ops(Object... originThenSeqs) {
        List<Operation> out = new ArrayList<>();
        for (int i = 0; i < originThenSeqs.length; i += 2) {
            out.add(op((NodeId) originThenSeqs[i], ((Number) originThenSeqs[i + 1]).longValue()));
        }
        return out;
    }

    @Test
    void aRunOfOneOriginAdvancesIt() {
        VersionVector expected = VersionVector.of(Map.of(A, 4L, B, 7L));
        assertEquals(VersionVector.of(Map.of(A, 7L, B, 7L)), Vectors.extend(expected, ops(A, 5, A, 6, A, 7)));
        assertEquals(VersionVector.of(Map.of(A, 4L, B, 7L)), expected, "the vector given is left as it was");
    }

    @Test
    void runsOfSeveralOriginsAdvanceEachAndARunMayComeBack() {
        VersionVector expected = VersionVector.of(Map.of(A, 1L));
        assertEquals(VersionVector.of(Map.of(A, 4L, B, 3L)),
                Vectors.extend(expected, ops(A, 2, B, 1, B, 2, A, 3, A, 4, B, 3)));
    }

    @Test
    void duplicatesAreAcceptedWithoutMovingBack() {
        VersionVector expected = VersionVector.of(Map.of(A, 5L));
        assertEquals(VersionVector.of(Map.of(A, 6L)), Vectors.extend(expected, ops(A, 3, A, 5, A, 6)));
        assertSame(expected, Vectors.extend(expected, ops(A, 2, A, 5)), "nothing new: the same vector");
        assertSame(expected, Vectors.extend(expected, List.of()));
    }

    @Test
    void aGapRefusesTheWholeBatch() {
        VersionVector expected = VersionVector.of(Map.of(A, 4L));
        assertNull(Vectors.extend(expected, ops(A, 5, A, 7)));
        assertNull(Vectors.extend(expected, ops(A, 5, B, 1, B, 3)), "the gap is in the second origin's run");
        assertNull(Vectors.extend(expected, ops(A, 5, B, 1, A, 7)), "the gap is in a run that came back");
        assertNull(Vectors.extend(expected, ops(B, 2)), "an origin not held starts at 1");
        assertEquals(VersionVector.of(Map.of(A, 4L)), expected);
    }

    @Test
    void lastOfGivesTheHighestSequencePerOrigin() {
        assertEquals(VersionVector.EMPTY, Vectors.lastOf(List.of()));
        assertEquals(VersionVector.of(Map.of(A, 9L)), Vectors.lastOf(ops(A, 8, A, 9)));
        assertEquals(VersionVector.of(Map.of(A, 9L, B, 2L)), Vectors.lastOf(ops(A, 8, B, 1, B, 2, A, 9)));
        assertEquals(VersionVector.of(Map.of(A, 9L, B, 2L)), Vectors.lastOf(ops(A, 9, B, 2, A, 3)),
                "a later, lower run does not lower an origin");
    }

    @Test
    void mergeKeepsTheCoveringVectorItselfAndMergesOtherwise() {
        VersionVector holds = VersionVector.of(Map.of(A, 5L, B, 3L));
        assertSame(holds, Vectors.merge(holds, VersionVector.of(Map.of(A, 4L))), "nothing new: not copied");
        assertSame(holds, Vectors.merge(holds, holds));
        assertEquals(VersionVector.of(Map.of(A, 6L, B, 3L)), Vectors.merge(holds, VersionVector.of(Map.of(A, 6L, B, 1L))));
        VersionVector other = VersionVector.of(Map.of(B, 1L));
        assertSame(other, Vectors.merge(null, other));
    }
}
