package org.blazedb.api;

import java.util.Objects;
import java.util.SortedSet;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * A partial update of a document: fields to set and fields to remove. A field may not be both.
 *
 * @param set   the fields to set (added or replaced)
 * @param unset the names of fields to remove
 */
public record Patch(MapValue set, SortedSet<String> unset) {
    /** @param set fields to set @param unset fields to remove, copied */
    public Patch {
        Objects.requireNonNull(set, "set");
        unset = Operation.unsetOf(Objects.requireNonNull(unset, "unset"));
        for (String name : unset) {
            if (set.entries().containsKey(name)) {
                throw new IllegalArgumentException("Field '" + name + "' is both set and unset");
            }
        }
    }

    /** @return a builder for a patch */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the changes of a {@link Patch}; not thread-safe. */
    public static final class Builder {
        private final MapValue.Builder set = MapValue.builder();
        private final java.util.TreeSet<String> unset = new java.util.TreeSet<>(Value.KEY_ORDER);

        private Builder() {
        }

        /** @param field name @param value new value @return this builder */
        public Builder set(String field, Value value) {
            set.put(field, value);
            return this;
        }

        /** @param field name of a field to remove @return this builder */
        public Builder unset(String field) {
            unset.add(Objects.requireNonNull(field, "field"));
            return this;
        }

        /** @return the patch */
        public Patch build() {
            return new Patch(set.build(), unset);
        }
    }
}
