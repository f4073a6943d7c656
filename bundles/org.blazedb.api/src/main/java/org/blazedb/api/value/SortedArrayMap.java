package org.blazedb.api.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/**
 * A read-only {@link SortedMap} over the entries {@code [from, to)} of a {@link MapValue}'s sorted
 * array (key 0, value 0, key 1, value 1 ...). Sub-maps share the array; nothing is copied.
 */
final class SortedArrayMap extends AbstractMap<String, Value> implements SortedMap<String, Value> {
    private final Object[] entries;
    private final int from;
    private final int to;

    SortedArrayMap(Object[] entries, int from, int to) {
        this.entries = entries;
        this.from = from;
        this.to = to;
    }

    /**
     * A binary search of the keys of entries {@code [from, to)} of an array of alternating keys and
     * values, sorted by key in {@link Value#KEY_ORDER}.
     *
     * @return the entry's index if the key is there, else {@code -(insertion point) - 1}
     */
    static int search(Object[] entries, int from, int to, String key) {
        int low = from;
        int high = to - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Value.KEY_ORDER.compare((String) entries[mid << 1], key);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private String key(int i) {
        return (String) entries[i << 1];
    }

    private Value value(int i) {
        return (Value) entries[(i << 1) + 1];
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
        return i >= 0 ? value(i) : null;
    }

    private int indexOf(Object key) {
        if (!(key instanceof String s)) {
            return -1;
        }
        int i = search(entries, from, to, s);
        return i >= 0 ? i : -1;
    }

    /** @return the first index in range whose key is at or after {@code key} */
    private int lowerBound(String key) {
        int i = search(entries, from, to, key);
        return i >= 0 ? i : -(i + 1);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Value> action) {
        for (int i = from; i < to; i++) {
            action.accept(key(i), value(i));
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
                        return new SimpleImmutableEntry<>(key(i), value(i));
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
        return new SortedArrayMap(entries, lowerBound(fromKey), Math.max(lowerBound(fromKey), lowerBound(toKey)));
    }

    @Override
    public SortedMap<String, Value> headMap(String toKey) {
        return new SortedArrayMap(entries, from, lowerBound(toKey));
    }

    @Override
    public SortedMap<String, Value> tailMap(String fromKey) {
        return new SortedArrayMap(entries, lowerBound(fromKey), to);
    }

    @Override
    public String firstKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return key(from);
    }

    @Override
    public String lastKey() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return key(to - 1);
    }
}
