package org.blazedb.api.value;

/** The kind of a {@link Value}; one constant per member of the value model. */
public enum ValueType {
    /** The absence of a value. */
    NULL,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A signed 64-bit integer. */
    INT,
    /** An IEEE 754 double-precision number. */
    FLOAT,
    /** A Unicode string. */
    STRING,
    /** An opaque byte string. */
    BYTES,
    /** An instant on the UTC time line, with nanosecond precision. */
    TIMESTAMP,
    /** A 128-bit UUID. */
    UUID,
    /** An ordered list of values. */
    LIST,
    /** A map from string keys to values, ordered by key. */
    MAP
}
