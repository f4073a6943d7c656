package org.blazedb.api.value;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One immutable, typed value of a document. Two values are equal when they have the same type and
 * the same content; for {@link FloatValue} that is {@link Double#compare} equality (so NaN equals
 * NaN and 0.0 differs from -0.0), which keeps equality consistent with the canonical encoding.
 */
public sealed interface Value
        permits NullValue, BoolValue, IntValue, FloatValue, StringValue, BytesValue, TimestampValue,
                UuidValue, ListValue, MapValue {

    /**
     * The order of map keys everywhere in BlazeDB: by Unicode code point, which is the same as the
     * order of their UTF-8 bytes. (Plain {@link String#compareTo} orders by UTF-16 unit and differs
     * for characters outside the Basic Multilingual Plane.)
     */
    Comparator<String> KEY_ORDER = KeyOrder.INSTANCE;

    /** @return the type of this value */
    ValueType type();

    /** @return the null value */
    static NullValue nullValue() {
        return NullValue.INSTANCE;
    }

    /** @param v a boolean @return it as a value */
    static BoolValue of(boolean v) {
        return v ? BoolValue.TRUE : BoolValue.FALSE;
    }

    /** @param v a 64-bit integer @return it as a value */
    static IntValue of(long v) {
        return new IntValue(v);
    }

    /** @param v a double @return it as a value */
    static FloatValue of(double v) {
        return new FloatValue(v);
    }

    /** @param v a string, not null @return it as a value */
    static StringValue of(String v) {
        return new StringValue(v);
    }

    /** @param v bytes, copied @return them as a value */
    static BytesValue of(byte[] v) {
        return new BytesValue(v);
    }

    /** @param v an instant, not null @return it as a value */
    static TimestampValue of(Instant v) {
        return new TimestampValue(v);
    }

    /** @param v a UUID, not null @return it as a value */
    static UuidValue of(UUID v) {
        return new UuidValue(v);
    }

    /** @param v values, copied @return them as a list value */
    static ListValue of(List<? extends Value> v) {
        return new ListValue(java.util.List.copyOf(v));
    }

    /** @param v entries, copied and ordered by {@link #KEY_ORDER} @return them as a map value */
    static MapValue of(Map<String, ? extends Value> v) {
        return MapValue.of(v);
    }
}
