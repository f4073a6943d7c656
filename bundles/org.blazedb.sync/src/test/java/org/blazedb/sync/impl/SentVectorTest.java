package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.VersionVector;
import org.junit.jupiter.api.Test;

class SentVectorTest {
    private static final NodeId A = new NodeId(1, 2);
    private static final NodeId B = new NodeId(3, 4);

    @Test
    void advancesPerOperationAndNeverMovesBack() {
        SentVector sent = new SentVector(VersionVector.of(Map.of(A, 3L)));
        sent.advance(new OpId(A, 4));
        sent.advance(new OpId(B, 1));
        sent.advance(new OpId(A, 2));
        assertEquals(4, sent.get(A));
        assertEquals(1, sent.get(B));
        assertTrue(sent.contains(new OpId(A, 4)));
        assertFalse(sent.contains(new OpId(A, 5)));
        assertEquals(VersionVector.of(Map.of(A, 4L, B, 1L)), sent.toVector());
    }

    @Test
    void mergeTakesTheMaximumAndResetStartsOver() {
        SentVector sent = new SentVector(VersionVector.of(Map.of(A, 5L, B, 2L)));
        sent.merge(VersionVector.of(Map.of(A, 3L, B, 6L)));
        assertEquals(VersionVector.of(Map.of(A, 5L, B, 6L)), sent.toVector());
        sent.reset(VersionVector.of(Map.of(B, 1L)));
        assertEquals(0, sent.get(A));
        assertEquals(VersionVector.of(Map.of(B, 1L)), sent.toVector());
    }
}
