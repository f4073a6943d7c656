package org.blazedb.api.value;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable map from string keys to values, iterated in {@link Value#KEY_ORDER}. A document's
 * fields are a map value. Entries are held in two sorted arrays: {@link #keyAt(int)} and
 * {@link #valueAt(int)} read them without allocating, {@link #get(String)} is a binary search, and
 * {@link #entries()} is a read-only {@link SortedMap} view over the same arrays.
 */
public final class MapValue implements Value {
    /** The empty map. */
    public static final MapValue EMPTY = new MapValue(new String[0], new Value[0]);

    private final String[] keys;
    private final Value[] values;
    private SortedMap<String, Value> view;

    private MapValue(String[] keys, Value[] values) {
        this.keys = keys;
        this.values = values;
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
        String[] k = keys.clone();
        Value[] v = values.clone();
        checkSorted(k, v);
        return new MapValue(k, v);
    }

    /**
     * Builds a map value that <em>takes ownership</em> of two arrays the caller has already checked:
     * keys in strictly ascending {@link Value#KEY_ORDER}, no nulls, one value per key. Unlike
     * {@link #ofSorted} it neither copies the arrays nor checks the order again, which is what a
     * decoder wants after verifying the order on its input (BlazeBinary compares the keys' UTF-8
     * bytes). The caller must not modify or reuse the arrays afterwards. The order and null checks
     * run only when Java assertions are enabled ({@code -ea}, as in tests); a map built from
     * unchecked arrays that break the contract finds the wrong entries.
     *
     * @param keys   the keys, strictly ascending, no nulls; owned by the map from now on
     * @param values the values, same length, no nulls; owned by the map from now on
     * @return a map value over these arrays
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
        assert checkSorted(keys, values);
        return new MapValue(keys, values);
    }

    private static boolean checkSorted(String[] k, Value[] v) {
        for (int i = 0; i < k.length; i++) {
            Objects.requireNonNull(k[i], "key");
            Objects.requireNonNull(v[i], "value");
            if (i > 0 && Value.KEY_ORDER.compare(k[i - 1], k[i]) >= 0) {
                throw new IllegalArgumentException(
                        "Keys are not strictly ascending at " + i + ": '" + k[i - 1] + "' then '" + k[i] + "'");
            }
        }
        return true;
    }

    /** @return a builder for a map value */
    public static Builder builder() {
        return new Builder();
    }

    private static MapValue fromSorted(TreeMap<String, Value> sorted) {
        String[] k = new String[sorted.size()];
        Value[] v = new Value[k.length];
        int i = 0;
        for (Map.Entry<String, Value> e : sorted.entrySet()) {
            k[i] = e.getKey();
            v[i++] = e.getValue();
        }
        return new MapValue(k, v);
    }

    /** @return the entries as a read-only map in {@link Value#KEY_ORDER} */
    public SortedMap<String, Value> entries() {
        SortedMap<String, Value> v = view;
        if (v == null) {
            // A benign race: two threads may each build an equal view.
            v = new SortedArrayMap(keys, values, 0, keys.length);
            view = v;
        }
        return v;
    }

    /** @param key a key @return the value under it, if any */
    public Optional<Value> get(String key) {
        int i = Arrays.binarySearch(keys, key, Value.KEY_ORDER);
        return i >= 0 ? Optional.of(values[i]) : Optional.empty();
    }

    /** @return the number of entries */
    public int size() {
        return keys.length;
    }

    /** @param index position in key order, from 0 @return the key there */
    public String keyAt(int index) {
        return keys[index];
    }

    /** @param index position in key order, from 0 @return the value there */
    public Value valueAt(int index) {
        return values[index];
    }

    @Override
    public ValueType type() {
        return ValueType.MAP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapValue other && Arrays.equals(keys, other.keys) && Arrays.equals(values, other.values);
    }

    /** @return the hash code a {@link Map} with the same entries would have */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            h += keys[i].hashCode() ^ values[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return entries().toString();
    }

    /** Collects entries for a {@link MapValue}; not thread-safe. */
    public static final class Builder {
        private final TreeMap<String, Value> entries = new TreeMap<>(Value.KEY_ORDER);

        private Builder() {
        }

        /** @param key the key @param value the value @return this builder */
        public Builder put(String key, Value value) {
            entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
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

        /** @return a map value holding the entries put so far */
        public MapValue build() {
            return entries.isEmpty() ? EMPTY : fromSorted(entries);
        }
    }
}
