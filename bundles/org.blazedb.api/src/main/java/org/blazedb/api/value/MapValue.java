package org.blazedb.api.value;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable map from string keys to values, iterated in {@link Value#KEY_ORDER}. A document's
 * fields are a map value.
 */
public final class MapValue implements Value {
    /** The empty map. */
    public static final MapValue EMPTY = new MapValue(new TreeMap<>(Value.KEY_ORDER));

    private final SortedMap<String, Value> entries;

    private MapValue(TreeMap<String, Value> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * @param entries keys and values, copied; no null keys or values
     * @return a map value holding them
     */
    public static MapValue of(Map<String, ? extends Value> entries) {
        TreeMap<String, Value> copy = new TreeMap<>(Value.KEY_ORDER);
        entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        return new MapValue(copy);
    }

    /** @return a builder for a map value */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the entries, unmodifiable, in {@link Value#KEY_ORDER} */
    public SortedMap<String, Value> entries() {
        return entries;
    }

    /** @param key a key @return the value under it, if any */
    public Optional<Value> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** @return the number of entries */
    public int size() {
        return entries.size();
    }

    @Override
    public ValueType type() {
        return ValueType.MAP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapValue other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
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
            return new MapValue(new TreeMap<>(entries));
        }
    }
}
