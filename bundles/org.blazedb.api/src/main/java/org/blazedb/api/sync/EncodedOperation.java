package org.blazedb.api.sync;

import java.util.Objects;
import org.blazedb.api.OpId;

/**
 * One operation in its BlazeBinary encoding, as a {@link Replica} hands it out for sending: the
 * operation layout of {@code docs/format.md} section 4 (no header byte), which is also how each
 * operation sits in the body of a batch. The sync engine copies these bytes into a batch without
 * decoding them; the receiving peer decodes and checks every byte as usual.
 *
 * <p>The bytes are the replica's own (a log record, usually), not a copy: a holder reads them and
 * never modifies them.
 */
public final class EncodedOperation {
    private final OpId id;
    private final byte[] array;
    private final int offset;
    private final int length;

    /**
     * @param id     the operation's id, as encoded at the start of the bytes
     * @param array  holds the encoding
     * @param offset where it starts
     * @param length how many bytes it takes
     */
    public EncodedOperation(OpId id, byte[] array, int offset, int length) {
        this.id = Objects.requireNonNull(id, "id");
        this.array = Objects.requireNonNull(array, "array");
        Objects.checkFromIndexSize(offset, length, array.length);
        if (length < 1) {
            throw new IllegalArgumentException("An encoded operation takes at least one byte, got " + length);
        }
        this.offset = offset;
        this.length = length;
    }

    /** @return the operation's id */
    public OpId id() {
        return id;
    }

    /** @return the array holding the encoding (shared: never modify it) */
    public byte[] array() {
        return array;
    }

    /** @return where the encoding starts in {@link #array()} */
    public int offset() {
        return offset;
    }

    /** @return the encoding's length in bytes */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return "EncodedOperation[" + id + ", " + length + " bytes]";
    }
}
