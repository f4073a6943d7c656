package org.blazedb.api.value;

/**
 * A boolean value.
 *
 * @param value the boolean
 */
public record BoolValue(boolean value) implements Value {
    /** The value {@code true}. */
    public static final BoolValue TRUE = new BoolValue(true);
    /** The value {@code false}. */
    public static final BoolValue FALSE = new BoolValue(false);

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
