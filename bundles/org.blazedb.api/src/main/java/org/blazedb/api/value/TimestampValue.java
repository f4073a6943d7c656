package org.blazedb.api.value;

import java.time.Instant;
import java.util.Objects;

/**
 * An instant on the UTC time line with nanosecond precision.
 *
 * @param value the instant, never null
 */
public record TimestampValue(Instant value) implements Value {
    /** @param value the instant, never null */
    public TimestampValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
        return ValueType.TIMESTAMP;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
