package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
    private final NodeId a = new NodeId(0, 1);
    private final NodeId b = new NodeId(0, 2);

    @Test
    void absentOriginsCountAsZeroAndZeroEntriesAreDropped() {
        VersionVector v = VersionVector.of(Map.of(a, 3L, b, 0L));
        assertEquals(3, v.get(a));
        assertEquals(0, v.get(b));
        assertEquals(1, v.entries().size());
        assertEquals(VersionVector.EMPTY, VersionVector.of(Map.of(b, 0L)));
    }

    @Test
    void mergeTakesTheEntryWiseMaximum() {
        VersionVector x = VersionVector.of(Map.of(a, 3L, b, 1L));
        VersionVector y = VersionVector.of(Map.of(a, 2L, b, 5L));
        assertEquals(VersionVector.of(Map.of(a, 3L, b, 5L)), x.merge(y));
        assertEquals(x.merge(y), y.merge(x));
    }

    @Test
    void dominanceAndConcurrency() {
        VersionVector x = VersionVector.of(Map.of(a, 3L));
        VersionVector y = VersionVector.of(Map.of(a, 2L, b, 1L));
        assertTrue(x.isConcurrentWith(y));
        assertTrue(x.merge(y).dominates(x));
        assertTrue(x.dominates(VersionVector.EMPTY));
        assertFalse(VersionVector.EMPTY.dominates(x));
        assertTrue(x.contains(new OpId(a, 3)));
        assertFalse(x.contains(new OpId(a, 4)));
    }

    @Test
    void countsExactlyWhatTheOtherSideLacks() {
        VersionVector mine = VersionVector.of(Map.of(a, 10L, b, 4L));
        VersionVector theirs = VersionVector.of(Map.of(a, 7L, b, 9L));
        assertEquals(3, mine.countMissingFrom(theirs));
        assertEquals(5, theirs.countMissingFrom(mine));
    }

    @Test
    void negativeSequencesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of(a, -1L)));
    }
}
