package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

class MapValueTest {
    /** The definition of the key order: compare code points one by one. */
    private static int byCodePoint(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    @Test
    void keyOrderIsCodePointOrderOnRandomWellFormedStrings() {
        Random random = new Random(42);
        int[] pool = {'a', 'b', 'z', 0x7f, 0xe9, 0x4e2d, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff};
        for (int n = 0; n < 20_000; n++) {
            String a = randomString(random, pool);
            String b = randomString(random, pool);
            assertEquals(Integer.signum(byCodePoint(a, b)), Integer.signum(Value.KEY_ORDER.compare(a, b)), a + " vs " + b);
        }
    }

    private static String randomString(Random random, int[] pool) {
        StringBuilder s = new StringBuilder();
        int len = random.nextInt(4);
        for (int i = 0; i < len; i++) {
            s.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return s.toString();
    }

    @Test
    void ofSortedAcceptsAscendingKeysAndRejectsAnythingElse() {
        MapValue m = MapValue.ofSorted(new String[] {"a", "b"}, new Value[] {Value.of(1), Value.of(2)});
        assertEquals(MapValue.builder().put("b", 2).put("a", 1).build(), m);
        assertThrows(IllegalArgumentException.class,
                () -> MapValue.ofSorted(new String[] {"b", "a"}, new Value[] {Value.of(1), Value.of(2)}));
        assertThrows(IllegalArgumentException.class,
                () -> MapValue.ofSorted(new String[] {"a", "a"}, new Value[] {Value.of(1), Value.of(2)}));
        assertThrows(IllegalArgumentException.class, () -> MapValue.ofSorted(new String[] {"a"}, new Value[0]));
        assertThrows(NullPointerException.class, () -> MapValue.ofSorted(new String[] {"a"}, new Value[] {null}));
    }

    @Test
    void ofSortedCopiesItsArrays() {
        String[] keys = {"a"};
        Value[] values = {Value.of(1)};
        MapValue m = MapValue.ofSorted(keys, values);
        keys[0] = "z";
        values[0] = Value.of(9);
        assertEquals(Value.of(1), m.get("a").orElseThrow());
    }

    @Test
    void ofSortedTrustedHoldsTheEntriesItIsGiven() {
        String[] keys = {"a", "b"};
        Value[] values = {Value.of(1), Value.of(2)};
        MapValue m = MapValue.ofSortedTrusted(keys, values);
        assertEquals(MapValue.ofSorted(keys, values), m);
        assertEquals(Value.of(2), m.get("b").orElseThrow());
        assertSame(MapValue.EMPTY, MapValue.ofSortedTrusted(new String[0], new Value[0]));
        assertThrows(IllegalArgumentException.class, () -> MapValue.ofSortedTrusted(new String[] {"a"}, new Value[0]));
    }

    @Test
    void ofSortedTrustedChecksTheContractWhenAssertionsAreOn() {
        // surefire runs tests with -ea, so the contract a decoder relies on is checked here
        assertThrows(IllegalArgumentException.class,
                () -> MapValue.ofSortedTrusted(new String[] {"b", "a"}, new Value[] {Value.of(1), Value.of(2)}));
        assertThrows(NullPointerException.class,
                () -> MapValue.ofSortedTrusted(new String[] {"a"}, new Value[] {null}));
    }

    @Test
    void ofEntriesTrustedReadsKeysAndValuesAlternating() {
        Object[] entries = {"a", Value.of(1), "b", Value.of("two"), "c", Value.of(3)};
        MapValue m = MapValue.ofEntriesTrusted(entries);
        assertEquals(MapValue.builder().put("c", 3).put("a", 1).put("b", "two").build(), m);
        assertEquals(3, m.size());
        assertEquals("b", m.keyAt(1));
        assertEquals(Value.of("two"), m.valueAt(1));
        assertEquals(Value.of(3), m.get("c").orElseThrow());
        assertTrue(m.get("bb").isEmpty());
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(m.entries().keySet()));
        assertSame(MapValue.EMPTY, MapValue.ofEntriesTrusted(new Object[0]));
        assertThrows(IllegalArgumentException.class, () -> MapValue.ofEntriesTrusted(new Object[] {"a"}));
    }

    @Test
    void ofEntriesTrustedChecksTheContractWhenAssertionsAreOn() {
        assertThrows(IllegalArgumentException.class,
                () -> MapValue.ofEntriesTrusted(new Object[] {"b", Value.of(1), "a", Value.of(2)}));
        assertThrows(IllegalArgumentException.class,
                () -> MapValue.ofEntriesTrusted(new Object[] {"a", Value.of(1), "a", Value.of(2)}));
        assertThrows(IllegalArgumentException.class, () -> MapValue.ofEntriesTrusted(new Object[] {Value.of(1), "a"}));
        assertThrows(IllegalArgumentException.class, () -> MapValue.ofEntriesTrusted(new Object[] {"a", "b"}));
        assertThrows(NullPointerException.class, () -> MapValue.ofEntriesTrusted(new Object[] {"a", null}));
    }

    @Test
    void entriesOutsideTheMapAreRefusedNotReadFromTheOtherHalf() {
        MapValue m = MapValue.builder().put("a", 1).put("b", 2).build();
        for (int bad : new int[] {-1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30}) {
            assertThrows(IndexOutOfBoundsException.class, () -> m.keyAt(bad), "keyAt " + bad);
            assertThrows(IndexOutOfBoundsException.class, () -> m.valueAt(bad), "valueAt " + bad);
        }
    }

    @Test
    void theEntriesViewBehavesLikeATreeMapWithTheKeyOrder() {
        TreeMap<String, Value> reference = new TreeMap<>(Value.KEY_ORDER);
        for (String k : List.of("d", "b", "f", "a", "\uffff", new String(Character.toChars(0x1f600)))) {
            reference.put(k, Value.of(k));
        }
        MapValue m = Value.of(reference);
        SortedMap<String, Value> view = m.entries();
        assertEquals(reference, view);
        assertEquals(view, reference);
        assertEquals(reference.hashCode(), view.hashCode());
        assertEquals(reference.hashCode(), m.hashCode());
        assertEquals(new ArrayList<>(reference.keySet()), new ArrayList<>(view.keySet()));
        assertEquals(reference.headMap("c"), view.headMap("c"));
        assertEquals(reference.tailMap("c"), view.tailMap("c"));
        assertEquals(reference.subMap("b", "e"), view.subMap("b", "e"));
        assertEquals(reference.firstKey(), view.firstKey());
        assertEquals(reference.lastKey(), view.lastKey());
        assertEquals(Value.of("d"), view.get("d"));
        assertNull(view.get("zz"));
        assertNull(view.get(42));
        assertThrows(UnsupportedOperationException.class, () -> view.put("x", Value.of(1)));
        assertThrows(NoSuchElementException.class, () -> MapValue.EMPTY.entries().firstKey());
        for (int i = 0; i < m.size(); i++) {
            assertEquals(Value.of(m.keyAt(i)), m.valueAt(i));
        }
    }

    @Test
    void getIsABinarySearchInKeyOrder() {
        MapValue m = Value.of(Map.of("x", Value.of(1), "y", Value.of(2)));
        assertEquals(Value.of(2), m.get("y").orElseThrow());
        assertTrue(m.get("q").isEmpty());
    }

    @Test
    void theBuilderKeepsTheLastPutOfEachKeyInKeyOrderLikeATreeMap() {
        Random random = new Random(20261126);
        String[] pool = new String[120];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = (i % 3 == 0 ? "k" : i % 3 == 1 ? "key" : "\u00e9") + Integer.toString(random.nextInt(1000), 36);
        }
        for (int sequence = 0; sequence < 3_000; sequence++) {
            // sizes on both sides of the builder's in-place limit; keys in order, reversed, random, repeated
            int puts = random.nextInt(sequence % 10 == 0 ? 200 : 40);
            int distinct = 1 + random.nextInt(pool.length);
            int shape = random.nextInt(3);
            MapValue.Builder builder = MapValue.builder();
            TreeMap<String, Value> model = new TreeMap<>(Value.KEY_ORDER);
            for (int i = 0; i < puts; i++) {
                String key = shape == 0 ? pool[random.nextInt(distinct)]
                        : shape == 1 ? "a" + (char) ('a' + i % 26) + (i / 26) : "z" + (char) ('z' - i % 26) + (i / 26);
                Value value = Value.of((long) i);
                builder.put(key, value);
                model.put(key, value);
                if (random.nextInt(25) == 0) { // a build in the middle leaves the builder going
                    assertEquals(model, builder.build().entries(), "sequence " + sequence + " after " + (i + 1) + " puts");
                }
            }
            MapValue built = builder.build();
            assertEquals(model, built.entries(), "sequence " + sequence);
            assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(built.entries().keySet()), "in key order");
            assertEquals(built, MapValue.of(model));
        }
    }

    @Test
    void aBuiltMapDoesNotChangeWhenTheBuilderGoesOn() {
        MapValue.Builder builder = MapValue.builder().put("b", 1L).put("a", 2L);
        MapValue first = builder.build();
        builder.put("a", 3L).put("c", 4L);
        assertEquals(Map.of("a", Value.of(2L), "b", Value.of(1L)), first.entries());
        assertEquals(Map.of("a", Value.of(3L), "b", Value.of(1L), "c", Value.of(4L)), builder.build().entries());
        assertThrows(NullPointerException.class, () -> builder.put(null, Value.of(1L)));
        assertThrows(NullPointerException.class, () -> builder.put("x", (Value) null));
        assertSame(MapValue.EMPTY, MapValue.builder().build());
    }
}
