package org.blazedb.api.value;

/** The null value; {@link #INSTANCE} is its only instance. */
public final class NullValue implements Value {
    /** The only null value. */
    public static final NullValue INSTANCE = new NullValue();

    private NullValue() {
    }

    @Override
    public ValueType type() {
        return ValueType.NULL;
    }

    @Override
    public String toString() {
        return "null";
    }
}
