package org.blazedb.api.value;

import java.util.Objects;

/**
 * A Unicode string value.
 *
 * @param value the string, never null
 */
public record StringValue(String value) implements Value {
    /** @param value the string, never null */
    public StringValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public String toString() {
        return '"' + value + '"';
    }
}
