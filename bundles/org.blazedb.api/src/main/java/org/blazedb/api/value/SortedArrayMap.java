package org.blazedb.api.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * A read-only {@link SortedMap} over the range {@code [from, to)} of a {@link MapValue}'s sorted
 * key and value arrays. Sub-maps share the arrays; nothing is copied.
 */
final class SortedArrayMap extends AbstractMap<String, Value> implements SortedMap<String, Value> {
    private final String[] keys;
    private final Value[] values;
    private final int from;
    private final int to;

    SortedArrayMap(String[] keys, Value[] values, int from, int to) {
        this.keys = keys;
        this.values = values;
        this.from = from;
        this.to = to;
    }

    @Override
    public Comparator<? super String> comparator() {
        return Value.KEY_ORDER;
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Value get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? values[i] : null;
    }

    private int indexOf(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        int i = Arrays.binarySearch(keys, from, to, s, Value.KEY_ORDER);
        return i >= 0 ? i : -1;
    }

    /** @return the first index in range whose key is at or after {@code key} */
    private int lowerBound(String key) {
        int i = Arrays.binarySearch(keys, from, to, key, Value.KEY_ORDER);
        return i >= 0 ? i : -(i + 1);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Value> action) {
        for (int i = from; i < to; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return to - from;
            }

            @Override
            public Iterator<Entry<String, Value>> iterator() {
                return new Iterator<>() {
                    private int next = from;

                    @Override
                    public boolean hasNext() {
                        return next < to;
                    }

                    @Override
                    public Entry<String, Value> next() {
                        if (next >= to) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }

    @Override
    public SortedMap<String, Value> subMap(String fromKey, String toKey) {
        if (Value.KEY_ORDER.compare(fromKey, toKey) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        return new SortedArrayMap(keys, values, lowerBound(fromKey), Math.max(lowerBound(fromKey), lowerBound(toKey)));
    }

    @Override
    public SortedMap<String, Value> headMap(String toKey) {
        return new SortedArrayMap(keys, values, from, lowerBound(toKey));
    }

    @Override
    public SortedMap<String, Value> tailMap(String fromKey) {
        return new SortedArrayMap(keys, values, lowerBound(fromKey), to);
    }

    @Override
    public String firstKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return keys[from];
    }

    @Override
    public String lastKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return keys[to - 1];
    }
}
