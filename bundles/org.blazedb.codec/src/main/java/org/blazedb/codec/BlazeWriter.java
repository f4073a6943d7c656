package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.Value;

/**
 * A growable output buffer that writes BlazeBinary primitives, values, identifiers and operations
 * ({@code docs/format.md}), for BlazeBinary itself and for other bundles' records and protocol
 * messages. Whatever it writes, {@link BlazeReader} reads back with the matching method. Writes no
 * header byte: a record that embeds these items carries its own version. Not thread-safe.
 */
public final class BlazeWriter {
    /** Larger buffers are not kept by {@link #reset()}, so one huge record does not pin memory. */
    private static final int RETAINED_CAPACITY = 1 << 20;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    byte[] buf;
    int pos;
    /** Map keys written so far in the value being written ({@link #writeValue}); this thread's. */
    EncoderKeys keys;
    /** Whether this writer is used by one thread only, whose key table {@link #keys} then holds for good. */
    private final boolean threadConfined;

    /** Creates a writer with a small initial buffer. */
    public BlazeWriter() {
        this(256);
    }

    /** @param initialCapacity the initial buffer size in bytes, grown as needed */
    public BlazeWriter(int initialCapacity) {
        this(initialCapacity, false);
    }

    /**
     * @param threadConfined true for a writer that only the calling thread will ever use (a
     *                       thread-local one), which may then keep this thread's key table
     */
    BlazeWriter(int initialCapacity, boolean threadConfined) {
        buf = new byte[Math.max(16, initialCapacity)];
        this.threadConfined = threadConfined;
        if (threadConfined) {
            keys = EncoderKeys.forThisThread();
        }
    }

    /** @return the number of bytes written */
    public int size() {
        return pos;
    }

    /** Forgets everything written, keeping the buffer unless it grew very large. */
    public void reset() {
        pos = 0;
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[256];
        }
    }

    /** @return a copy of the bytes written */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Makes room for {@code n} more bytes. */
    void ensure(int n) {
        if (n > buf.length - pos) {
            long wanted = Math.max((long) pos + n, 2L * buf.length);
            if ((long) pos + n > MAX_CAPACITY) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Encoded data would exceed 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(wanted, MAX_CAPACITY));
        }
    }

    /** @param b the low 8 bits are written @return this writer */
    public BlazeWriter writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
        return this;
    }

    /** @param v written as an unsigned LEB128 varint, 1 to 10 bytes @return this writer */
    public BlazeWriter writeVarLong(long v) {
        ensure(10);
        putVarLong(v);
        return this;
    }

    /** Writes a byte; the caller has {@link #ensure ensured} room. */
    void putByte(int b) {
        buf[pos++] = (byte) b;
    }

    /**
     * Writes the low {@code n} bytes of {@code v}, little-endian, with one 8-byte store (a loop of
     * single bytes costs several times more); the caller has {@link #ensure ensured} room for 8
     * bytes. The {@code 8 - n} bytes stored past the new position are not part of the output: the
     * next write overwrites them and {@link #toByteArray()} stops at the position.
     */
    void putLongLE(long v, int n) {
        LONG_LE.set(buf, pos, v);
        pos += n;
    }

    /** Writes {@code v} as 8 bytes, big-endian, with one store; the caller has {@link #ensure ensured} room. */
    void putLongBE(long v) {
        LONG_BE.set(buf, pos, v);
        pos += 8;
    }

    /** Writes a varint; the caller has {@link #ensure ensured} room for 10 bytes. */
    void putVarLong(long v) {
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    /** @param v written zigzag-mapped (small magnitudes stay short) as a varint @return this writer */
    public BlazeWriter writeZigZagLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    /** @param v written as 8 bytes, little-endian @return this writer */
    public BlazeWriter writeFixed64(long v) {
        ensure(8);
        putLongLE(v, 8);
        return this;
    }

    /** @param v written as its IEEE 754 bits via {@link #writeFixed64}, every NaN as 0x7ff8000000000000 @return this writer */
    public BlazeWriter writeDouble(double v) {
        return writeFixed64(Double.doubleToLongBits(v));
    }

    /** @param bytes written as a varint length and the bytes @return this writer */
    public BlazeWriter writeBytes(byte[] bytes) {
        return writeBytes(bytes, 0, bytes.length);
    }

    /** @param bytes source @param off first byte @param len byte count; written as a varint length and the bytes @return this writer */
    public BlazeWriter writeBytes(byte[] bytes, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, bytes.length);
        if (len > Limits.MAX_BYTES_LENGTH) {
            throw tooLarge("Bytes", len, "MAX_BYTES_LENGTH", Limits.MAX_BYTES_LENGTH);
        }
        writeVarLong(len);
        return writeRaw(bytes, off, len);
    }

    /** @param bytes source @param off first byte @param len byte count; written as they are, no length @return this writer */
    public BlazeWriter writeRaw(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
        return this;
    }

    /**
     * @param s written as a varint length and its UTF-8 bytes
     * @return this writer
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if {@code s} holds an unpaired
     *                        surrogate or is longer than {@link Limits#MAX_STRING_BYTES}
     */
    public BlazeWriter writeString(String s) {
        return writeString(s, Limits.MAX_STRING_BYTES);
    }

    BlazeWriter writeString(String s, int maxBytes) {
        int n = s.length();
        if (n < 0x80 && n <= maxBytes && tryWriteShortAscii(n, s)) {
            // the usual id or name: its length is one varint byte (the "header"), and one pass
            // checks it is ASCII (counting UTF-8 bytes first and copying after took two)
            return this;
        }
        int len = utf8Length(s, maxBytes);
        writeVarLong(len);
        writeUtf8(s, len);
        return this;
    }

    int utf8Length(String s, int maxBytes) {
        long len = Utf8.encodedLength(s);
        if (len > maxBytes) {
            throw tooLarge("A string", len, maxBytes == Limits.MAX_STRING_BYTES ? "MAX_STRING_BYTES" : "MAX_NAME_BYTES", maxBytes);
        }
        return (int) len;
    }

    /**
     * Writes a one-byte header and {@code s} if {@code s} is pure ASCII, which most keys and short
     * strings are; otherwise writes nothing.
     *
     * @param header the single header byte that announces {@code s.length()} bytes
     * @param s      the string
     * @return whether {@code s} was written
     */
    boolean tryWriteShortAscii(int header, String s) {
        int n = s.length();
        if (!isAscii(s, n)) {
            return false;
        }
        ensure(1 + n);
        buf[pos] = (byte) header;
        copyAscii(s, n, buf, pos + 1);
        pos += 1 + n;
        return true;
    }

    /** @return whether every char of {@code s} is below 0x80 (one pass without early exit, which the JIT unrolls) */
    private static boolean isAscii(String s, int n) {
        int any = 0;
        for (int i = 0; i < n; i++) {
            any |= s.charAt(i);
        }
        return any < 0x80;
    }

    /**
     * Copies the low byte of each char of an ASCII string, all of which are checked below 0x80, so
     * the low byte is the whole char and its UTF-8 encoding. {@code String.getBytes(int, int, byte[],
     * int)} is deprecated because it drops high bytes, which ASCII has none of; for the JDK's compact
     * (Latin-1) strings it is a single array copy, several times faster than a loop over chars.
     */
    @SuppressWarnings("deprecation")
    private static void copyAscii(String s, int n, byte[] dst, int at) {
        s.getBytes(0, n, dst, at);
    }

    void writeUtf8(String s, int utf8Length) {
        ensure(utf8Length);
        if (utf8Length == s.length()) {
            // as many bytes as chars: every char is ASCII (a surrogate pair would take 4 bytes for 2 chars)
            copyAscii(s, utf8Length, buf, pos);
            pos += utf8Length;
        } else {
            pos = Utf8.encode(s, buf, pos);
        }
    }

    /**
     * Writes a value: a tag byte and its payload, map keys in {@link Value#KEY_ORDER}, repeated map
     * keys as back-references into a key table that starts empty for each call.
     *
     * @param value the value
     * @return this writer
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if the value breaks a {@link Limits limit}
     *                        or holds a string that is not valid Unicode
     */
    public BlazeWriter writeValue(Value value) {
        // a value is written in one call, with no callbacks, so the thread's table is not shared meanwhile
        if (!threadConfined) {
            keys = EncoderKeys.forThisThread();
        }
        keys.clear();
        ValueEncoder.write(this, value, 0);
        return this;
    }

    /** @param id written as 16 bytes, big-endian, so byte order is id order @return this writer */
    public BlazeWriter writeNodeId(NodeId id) {
        ensure(16);
        // two 8-byte big-endian stores: every log record, document record and wire batch has one or more
        LONG_BE.set(buf, pos, id.high());
        LONG_BE.set(buf, pos + 8, id.low());
        pos += 16;
        return this;
    }

    /** @param id written as its origin node id and a varint sequence @return this writer */
    public BlazeWriter writeOpId(OpId id) {
        writeNodeId(id.origin());
        return writeVarLong(id.sequence());
    }

    /** @param stamp written as varint wall time, varint counter, node id @return this writer */
    public BlazeWriter writeHlc(Hlc stamp) {
        writeVarLong(stamp.wallTime());
        writeVarLong(stamp.counter());
        return writeNodeId(stamp.node());
    }

    /**
     * @param vector written as a varint count and, in node id order, each node id and its varint sequence
     * @return this writer
     */
    public BlazeWriter writeVersionVector(VersionVector vector) {
        int n = vector.size();
        if (n > Limits.MAX_VECTOR_ENTRIES) {
            throw tooLarge("A version vector", n, "MAX_VECTOR_ENTRIES", Limits.MAX_VECTOR_ENTRIES);
        }
        writeVarLong(n);
        for (int i = 0; i < n; i++) { // by index: no map view, no boxed sequences, no lambda
            writeNodeId(vector.node(i));
            writeVarLong(vector.sequence(i));
        }
        return this;
    }

    /**
     * @param op written in the operation layout of {@code docs/format.md}, without a header byte
     * @return this writer
     */
    public BlazeWriter writeOperation(Operation op) {
        OperationCodec.write(this, op);
        return this;
    }

    static BlazeException tooLarge(String what, long size, String limitName, long limit) {
        return new BlazeException(ErrorCode.INVALID_VALUE,
                what + " of " + size + " exceeds " + limitName + " (" + limit + "); split it up");
    }
}
