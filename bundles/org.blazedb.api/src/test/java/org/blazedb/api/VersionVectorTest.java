package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
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

    @Test
    void withSetsReplacesAndRemovesOneEntryLeavingTheOriginalAsItWas() {
        NodeId c = new NodeId(0, 3);
        VersionVector v = VersionVector.of(Map.of(a, 3L, c, 7L));
        assertEquals(VersionVector.of(Map.of(a, 3L, b, 1L, c, 7L)), v.with(b, 1));
        assertEquals(VersionVector.of(Map.of(a, 4L, c, 7L)), v.with(a, 4));
        assertEquals(VersionVector.of(Map.of(c, 7L)), v.with(a, 0));
        assertEquals(VersionVector.EMPTY, v.with(a, 0).with(c, 0));
        assertSame(v, v.with(b, 0));
        assertSame(v, v.with(a, 3));
        assertEquals(VersionVector.of(Map.of(a, 3L, c, 7L)), v);
        assertThrows(IllegalArgumentException.class, () -> v.with(a, -1));
    }

    @Test
    void entriesSizeAndIndexedAccessFollowAscendingNodeOrder() {
        NodeId high = new NodeId(-1, 0); // the largest as an unsigned number
        VersionVector v = VersionVector.of(Map.of(high, 9L, b, 2L, a, 1L));
        assertEquals(3, v.size());
        assertEquals(List.of(a, b, high), List.of(v.node(0), v.node(1), v.node(2)));
        assertEquals(List.of(1L, 2L, 9L), List.of(v.sequence(0), v.sequence(1), v.sequence(2)));
        assertEquals(new TreeMap<>(Map.of(a, 1L, b, 2L, high, 9L)), v.entries());
        assertEquals(List.of(a, b, high), List.copyOf(v.entries().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> v.entries().put(a, 5L));
        assertThrows(IndexOutOfBoundsException.class, () -> v.node(3));
    }

    @Test
    void equalVectorsHashAndPrintAsTheirMapsDo() {
        Map<NodeId, Long> map = new HashMap<>();
        for (int i = 40; i > 0; i--) { // more entries than the insertion sort takes, out of order
            map.put(new NodeId(i % 3, i), (long) i);
        }
        VersionVector v = VersionVector.of(map);
        TreeMap<NodeId, Long> sorted = new TreeMap<>(map);
        assertEquals(sorted, v.entries());
        assertEquals(sorted.hashCode(), v.hashCode());
        assertEquals(sorted.toString(), v.toString());
        assertEquals(v, VersionVector.of(sorted));
        assertEquals(v.hashCode(), VersionVector.of(sorted).hashCode());
        assertNotEquals(v, v.with(a, 100));
    }

    @Test
    void mergeReturnsAVectorThatAlreadyCoversTheOther() {
        VersionVector big = VersionVector.of(Map.of(a, 5L, b, 5L));
        VersionVector small = VersionVector.of(Map.of(b, 2L));
        assertSame(big, big.merge(small));
        assertSame(big, small.merge(big));
        assertSame(big, big.merge(VersionVector.EMPTY));
        assertEquals(small, small.merge(VersionVector.EMPTY));
    }

    @Test
    void dominanceComparesEveryOrigin() {
        NodeId c = new NodeId(0, 3);
        VersionVector x = VersionVector.of(Map.of(a, 1L, c, 1L));
        VersionVector y = VersionVector.of(Map.of(b, 1L));
        assertFalse(x.dominates(y));
        assertFalse(y.dominates(x));
        assertTrue(x.merge(y).dominates(x) && x.merge(y).dominates(y));
        assertEquals(3, x.merge(y).size());
    }

    @Test
    void entriesViewBehavesAsAnUnmodifiableSortedMapOfTheVector() {
        NodeId c = new NodeId(0, 3);
        VersionVector v = VersionVector.of(Map.of(c, 7L, a, 3L, b, 5L));
        SortedMap<NodeId, Long> view = v.entries();
        TreeMap<NodeId, Long> tree = new TreeMap<>(Map.of(a, 3L, b, 5L, c, 7L));
        assertEquals(tree, view);
        assertEquals(view, tree);
        assertEquals(tree.hashCode(), view.hashCode());
        assertEquals(tree.toString(), view.toString());
        assertEquals(5L, view.get(b));
        assertNull(view.get(new NodeId(9, 9)));
        assertNull(view.get("not a node"));
        assertTrue(view.containsKey(c));
        assertFalse(view.containsKey(new NodeId(9, 9)));
        assertEquals(a, view.firstKey());
        assertEquals(c, view.lastKey());
        assertEquals(tree.headMap(c), view.headMap(c));
        assertEquals(tree.tailMap(b), view.tailMap(b));
        assertEquals(tree.subMap(a, c), view.subMap(a, c));
        assertNull(view.comparator());
        assertEquals(List.of(a, b, c), List.copyOf(view.keySet()));
        assertEquals(List.of(3L, 5L, 7L), List.copyOf(view.values()));
        List<String> walked = new ArrayList<>();
        view.forEach((node, seq) -> walked.add(node + "=" + seq));
        assertEquals(List.of(a + "=3", b + "=5", c + "=7"), walked);
        assertThrows(UnsupportedOperationException.class, () -> view.put(a, 1L));
        assertThrows(UnsupportedOperationException.class, () -> view.remove(a));
        assertThrows(UnsupportedOperationException.class, view::clear);
        assertThrows(UnsupportedOperationException.class, () -> view.keySet().remove(a));
        assertThrows(UnsupportedOperationException.class, () -> view.entrySet().iterator().next().setValue(1L));
        assertThrows(UnsupportedOperationException.class, () -> view.headMap(c).put(a, 1L));
        Iterator<Map.Entry<NodeId, Long>> it = view.entrySet().iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove);
        assertEquals(3, v.size(), "nothing changed");
        assertThrows(NoSuchElementException.class, () -> VersionVector.EMPTY.entries().firstKey());
        assertTrue(VersionVector.EMPTY.entries().isEmpty());
    }
}
