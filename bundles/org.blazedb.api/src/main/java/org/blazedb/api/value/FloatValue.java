package org.blazedb.api.value;

/**
 * A 64-bit IEEE 754 floating-point value. Equality follows {@link Double#compare}.
 *
 * @param value the number
 */
public record FloatValue(double value) implements Value {
    @Override
    public ValueType type() {
        return ValueType.FLOAT;
    }

    @Override
    public String toString() {
        return Double.toString(value);
    }
}
