package org.blazedb.api.value;

/**
 * A signed 64-bit integer value.
 *
 * @param value the integer
 */
public record IntValue(long value) implements Value {
    @Override
    public ValueType type() {
        return ValueType.INT;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
