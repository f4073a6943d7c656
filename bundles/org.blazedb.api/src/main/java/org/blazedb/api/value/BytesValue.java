package org.blazedb.api.value;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte-string value; the bytes are copied in and out. */
public final class BytesValue implements Value {
    private final byte[] bytes;

    /** @param bytes the bytes, copied */
    public BytesValue(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** @return a copy of the bytes */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @param index position, from 0 @return the byte there */
    public byte byteAt(int index) {
        return bytes[index];
    }

    @Override
    public ValueType type() {
        return ValueType.BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesValue other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
