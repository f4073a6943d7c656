package org.blazedb.api.value;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable map from string keys to values, iterated in {@link Value#KEY_ORDER}. A document's
 * fields are a map value. Entries are held in one array, sorted by key, each key followed by its
 * value (one object per map besides the map, where two arrays would be two; decoders build many
 * small maps): {@link #keyAt(int)} and {@link #valueAt(int)} read them without allocating,
 * {@link #get(String)} is a binary search, and {@link #entries()} is a read-only {@link SortedMap}
 * view over the same array.
 */
public final class MapValue implements Value {
    /** The empty map. */
    public static final MapValue EMPTY = new MapValue(new Object[0]);

    /** Key 0, value 0, key 1, value 1 ...: keys are Strings, values are Values. */
    private final Object[] entries;
    private SortedMap<String, Value> view;

    private MapValue(Object[] entries) {
        this.entries = entries;
    }

    /**
     * @param entries keys and values, copied; no null keys or values
     * @return a map value holding them
     */
    public static MapValue of(Map<String, ? extends Value> entries) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        TreeMap<String, Value> sorted = new TreeMap<>(Value.KEY_ORDER);
        entries.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        return fromSorted(sorted);
    }

    /**
     * Builds a map value from keys already in strictly ascending {@link Value#KEY_ORDER}, with the
     * value of {@code keys[i]} at {@code values[i]}; the arrays are copied. This is the fast path
     * for decoders, which read keys in order.
     *
     * @param keys   the keys, strictly ascending, no nulls
     * @param values the values, same length, no nulls
     * @return a map value holding them
     * @throws IllegalArgumentException if the lengths differ or the keys are not strictly ascending
     */
    public static MapValue ofSorted(String[] keys, Value[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
        }
        if (keys.length == 0) {
            return EMPTY;
        }
        Object[] e = interleave(keys, values);
        checkSorted(e);
        return new MapValue(e);
    }

    /**
     * Builds a map value from two arrays the caller has already checked: keys in strictly ascending
     * {@link Value#KEY_ORDER}, no nulls, one value per key. Unlike {@link #ofSorted} it does not
     * check the order again. The entries are copied into the map's one array;
     * {@link #ofEntriesTrusted} takes an array in that form without a copy. The order and null
     * checks run only when Java assertions are enabled ({@code -ea}, as in tests); a map built from
     * unchecked arrays that break the contract finds the wrong entries.
     *
     * @param keys   the keys, strictly ascending, no nulls
     * @param values the values, same length, no nulls
     * @return a map value holding them
     * @throws IllegalArgumentException if the lengths differ
     * @since 1.2
     */
    public static MapValue ofSortedTrusted(String[] keys, Value[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
        }
        if (keys.length == 0) {
            return EMPTY;
        }
        Object[] e = interleave(keys, values);
        assert checkSorted(e);
        return new MapValue(e);
    }

    /**
     * Builds a map value that <em>takes ownership</em> of one array the caller has filled and
     * checked: key 0, value 0, key 1, value 1 ..., the keys ({@code String}s) in strictly
     * ascending {@link Value#KEY_ORDER}, the values {@link Value}s, no nulls. It neither copies the
     * array nor checks the order again, which is what a decoder wants after verifying the order on
     * its input (BlazeBinary compares the keys' UTF-8 bytes). The caller must not modify or reuse
     * the array afterwards. The order, type and null checks run only when Java assertions are
     * enabled ({@code -ea}, as in tests); a map built from an array that breaks the contract finds
     * the wrong entries or fails with a {@link ClassCastException} when read.
     *
     * @param keysAndValues keys and values alternating, of even length; owned by the map from now on
     * @return a map value over this array
     * @throws IllegalArgumentException if the length is odd
     * @since 1.3
     */
    public static MapValue ofEntriesTrusted(Object[] keysAndValues) {
        if ((keysAndValues.length & 1) != 0) {
            throw new IllegalArgumentException("an odd number (" + keysAndValues.length + ") of keys and values");
        }
        if (keysAndValues.length == 0) {
            return EMPTY;
        }
        assert checkSorted(keysAndValues);
        return new MapValue(keysAndValues);
    }

    private static Object[] interleave(String[] keys, Value[] values) {
        Object[] e = new Object[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            e[2 * i] = keys[i];
            e[2 * i + 1] = values[i];
        }
        return e;
    }

    private static boolean checkSorted(Object[] e) {
        for (int i = 0; i < e.length; i += 2) {
            if (!(Objects.requireNonNull(e[i], "key") instanceof String)) {
                throw new IllegalArgumentException("Entry " + i / 2 + " has a key that is not a String: " + e[i]);
            }
            if (!(Objects.requireNonNull(e[i + 1], "value") instanceof Value)) {
                throw new IllegalArgumentException("Entry " + i / 2 + " has a value that is not a Value: " + e[i + 1]);
            }
            if (i > 0 && Value.KEY_ORDER.compare((String) e[i - 2], (String) e[i]) >= 0) {
                throw new IllegalArgumentException(
                        "Keys are not strictly ascending at " + i / 2 + ": '" + e[i - 2] + "' then '" + e[i] + "'");
            }
        }
        return true;
    }

    /** @return a builder for a map value */
    public static Builder builder() {
        return new Builder();
    }

    private static MapValue fromSorted(TreeMap<String, Value> sorted) {
        Object[] e = new Object[sorted.size() * 2];
        int i = 0;
        for (Map.Entry<String, Value> entry : sorted.entrySet()) {
            e[i++] = entry.getKey();
            e[i++] = entry.getValue();
        }
        return new MapValue(e);
    }

    /** @return the entries as a read-only map in {@link Value#KEY_ORDER} */
    public SortedMap<String, Value> entries() {
        SortedMap<String, Value> v = view;
        if (v == null) {
            // A benign race: two threads may each build an equal view.
            v = new SortedArrayMap(entries, 0, entries.length >> 1);
            view = v;
        }
        return v;
    }

    /** @param key a key @return the value under it, if any */
    public Optional<Value> get(String key) {
        int i = SortedArrayMap.search(entries, 0, entries.length >> 1, key);
        return i >= 0 ? Optional.of((Value) entries[2 * i + 1]) : Optional.empty();
    }

    /** @return the number of entries */
    public int size() {
        return entries.length >> 1;
    }

    /** @param index position in key order, from 0 @return the key there */
    public String keyAt(int index) {
        return (String) entries[checkIndex(index) << 1];
    }

    /** @param index position in key order, from 0 @return the value there */
    public Value valueAt(int index) {
        return (Value) entries[(checkIndex(index) << 1) + 1];
    }

    private int checkIndex(int index) {
        // without it, a negative index could find the other half of an entry
        return Objects.checkIndex(index, entries.length >> 1);
    }

    @Override
    public ValueType type() {
        return ValueType.MAP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapValue other && Arrays.equals(entries, other.entries);
    }

    /** @return the hash code a {@link Map} with the same entries would have */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < entries.length; i += 2) {
            h += entries[i].hashCode() ^ entries[i + 1].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    /** Collects entries for a {@link MapValue}; not thread-safe. */
    public static final class Builder {
        /**
         * Up to this many entries, {@link #build} sorts them in place (insertion sort: a handful of
         * comparisons for the usual document, no node per entry); beyond it, through a tree map.
         */
        private static final int INSERTION_LIMIT = 32;

        /** Key 0, value 0, key 1, value 1 ...: in put order, or sorted by the last {@link #build}. */
        private Object[] entries = new Object[16];
        private int size;
        /** How many leading entries are sorted with no key twice (what the last build left). */
        private int sortedPrefix;

        private Builder() {
        }

        /**
         * Puts an entry; a key put again replaces its value (the last put wins).
         *
         * @param key the key @param value the value @return this builder
         */
        public Builder put(String key, Value value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            int n = size << 1;
            if (n == entries.length) {
                entries = Arrays.copyOf(entries, n << 1);
            }
            entries[n] = key;
            entries[n + 1] = value;
            size++;
            return this;
        }

        /** @param key the key @param value a string @return this builder */
        public Builder put(String key, String value) {
            return put(key, Value.of(value));
        }

        /** @param key the key @param value an integer @return this builder */
        public Builder put(String key, long value) {
            return put(key, Value.of(value));
        }

        /** @param key the key @param value a double @return this builder */
        public Builder put(String key, double value) {
            return put(key, Value.of(value));
        }

        /** @param key the key @param value a boolean @return this builder */
        public Builder put(String key, boolean value) {
            return put(key, Value.of(value));
        }

        /** @return a map value holding the entries put so far (the builder can go on) */
        public MapValue build() {
            if (size == 0) {
                return EMPTY;
            }
            if (sortedPrefix < size) {
                if (size <= INSERTION_LIMIT) {
                    insertionSort();
                } else {
                    sortThroughTree();
                }
                sortedPrefix = size;
            }
            return new MapValue(Arrays.copyOf(entries, size << 1));
        }

        /**
         * Sorts the entries by key, stably (of equal keys the later put stays later), then keeps the
         * last of each run of equal keys.
         */
        private void insertionSort() {
            Object[] e = entries;
            boolean equalKeys = false;
            for (int i = Math.max(1, sortedPrefix); i < size; i++) {
                String key = (String) e[2 * i];
                Object value = e[2 * i + 1];
                int j = i - 1;
                int c = 0;
                while (j >= 0 && (c = Value.KEY_ORDER.compare((String) e[2 * j], key)) > 0) {
                    e[2 * j + 2] = e[2 * j];
                    e[2 * j + 3] = e[2 * j + 1];
                    j--;
                }
                equalKeys |= j >= 0 && c == 0;
                e[2 * j + 2] = key;
                e[2 * j + 3] = value;
            }
            if (equalKeys) {
                int kept = 0;
                for (int i = 0; i < size; i++) {
                    if (i + 1 < size && e[2 * i].equals(e[2 * i + 2])) {
                        continue; // a later put of the same key follows
                    }
                    e[2 * kept] = e[2 * i];
                    e[2 * kept + 1] = e[2 * i + 1];
                    kept++;
                }
                Arrays.fill(e, 2 * kept, 2 * size, null);
                size = kept;
            }
        }

        /** {@link #insertionSort}'s result for many entries: through a tree map, in put order. */
        private void sortThroughTree() {
            TreeMap<String, Value> byKey = new TreeMap<>(Value.KEY_ORDER);
            for (int i = 0; i < size << 1; i += 2) {
                byKey.put((String) entries[i], (Value) entries[i + 1]); // in put order: a later put replaces
            }
            Object[] e = new Object[Math.max(16, byKey.size() << 1)];
            int i = 0;
            for (Map.Entry<String, Value> entry : byKey.entrySet()) {
                e[i++] = entry.getKey();
                e[i++] = entry.getValue();
            }
            entries = e;
            size = byKey.size();
        }
    }
}
