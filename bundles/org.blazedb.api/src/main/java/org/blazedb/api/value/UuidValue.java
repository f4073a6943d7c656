package org.blazedb.api.value;

import java.util.Objects;
import java.util.UUID;

/**
 * A 128-bit UUID value.
 *
 * @param value the UUID, never null
 */
public record UuidValue(UUID value) implements Value {
    /** @param value the UUID, never null */
    public UuidValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.UUID;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
