package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.Value;

/**
 * Reads what {@link BlazeWriter} writes from a range of a byte array, treating the bytes as
 * hostile: every read is bounds-checked, every length and count is checked against the bytes
 * remaining and a named {@link Limits limit} before anything is allocated, nesting is bounded by
 * {@link Limits#MAX_DEPTH}, and every problem throws a {@link BlazeFormatException} with the
 * offset (from the start of the range) where it was found. Not thread-safe.
 */
public final class BlazeReader {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NOTHING = new byte[0];
    /** Each thread's reader for whole inputs of one value ({@link #forThisThread}), with its key table. */
    private static final ThreadLocal<BlazeReader> PER_THREAD = ThreadLocal.withInitial(() -> {
        BlazeReader r = new BlazeReader(NOTHING);
        r.keys = DecoderKeys.forThisThread();
        return r;
    });
    // not final: the thread's reader is pointed at each input in turn
    byte[] buf;
    int start;
    int end;
    int pos;
    /** Keys of the value tree being read ({@link #readValue}); this thread's, taken per value. */
    DecoderKeys keys;

    /** @param bytes the whole array is read */
    public BlazeReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /**
     * @param bytes  the array
     * @param offset the first byte to read
     * @param length how many bytes may be read
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public BlazeReader(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        this.buf = bytes;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /**
     * This thread's reader, pointed at the whole of {@code bytes}, and holding this thread's key
     * table: decoding a document is then one thread-local lookup and no reader to allocate. A value
     * is decoded in one call, with no callbacks, so the reader is not used twice at a time; the
     * caller {@link #release releases} it when done.
     */
    static BlazeReader forThisThread(byte[] bytes) {
        BlazeReader r = PER_THREAD.get();
        r.buf = bytes;
        r.start = 0;
        r.end = bytes.length;
        r.pos = 0;
        return r;
    }

    /** Lets go of the input, so that a thread's reader does not keep the last one reachable. */
    void release() {
        buf = NOTHING;
        start = 0;
        end = 0;
        pos = 0;
    }

    /** @return the offset of the next byte, from the start of the range */
    public int position() {
        return pos - start;
    }

    /** @return the number of bytes not yet read */
    public int remaining() {
        return end - pos;
    }

    /** @throws BlazeFormatException if any byte is left unread */
    public void expectEnd() {
        if (pos != end) {
            throw malformed(pos, (end - pos) + " trailing bytes after the encoded data");
        }
    }

    /** @return the next byte, 0 to 255 */
    public int readByte() {
        if (pos >= end) {
            throw truncated(pos, 1);
        }
        return buf[pos++] & 0xFF;
    }

    /** @return the next unsigned LEB128 varint; longer than 10 bytes or not in shortest form is malformed */
    public long readVarLong() {
        int p = pos;
        if (p < end) {
            byte[] b = buf;
            long v = b[p];
            if (v >= 0) {
                pos = p + 1; // one byte, the most common case
                return v;
            }
            if (end - p >= 10) {
                return readVarLongWord(b, p);
            }
        }
        return readVarLongChecked();
    }

    /**
     * A varint of 2 or more bytes with 10 bytes available. Up to 8 bytes (56 bits: lengths, prices,
     * counts) are taken from one 8-byte load without a branch per byte, whose outcome varies from
     * one number to the next and so is mispredicted: the first byte with its top bit clear ends the
     * varint, and its 7-bit groups are gathered into place in three steps.
     */
    private long readVarLongWord(byte[] b, int start) {
        long w = (long) LONG_LE.get(b, start);
        long stops = ~w & 0x8080808080808080L;
        if (stops == 0) {
            return readVarLongUnrolled(b, start); // 9 or 10 bytes
        }
        int bits = Long.numberOfTrailingZeros(stops) + 1; // 8 × the varint's length in bytes
        if (((w >>> (bits - 8)) & 0xFF) == 0) {
            throw malformed(start, "varint not in its shortest form"); // a last byte of 0
        }
        long x = (bits == 64 ? w : w & ((1L << bits) - 1)) & 0x7F7F7F7F7F7F7F7FL;
        x = (x & 0x007F007F007F007FL) | ((x & 0x7F007F007F007F00L) >>> 1);
        x = (x & 0x00003FFF00003FFFL) | ((x & 0x3FFF00003FFF0000L) >>> 2);
        x = (x & 0x000000000FFFFFFFL) | ((x & 0x0FFFFFFF00000000L) >>> 4);
        pos = start + (bits >>> 3);
        return x;
    }

    /** A varint of 2 or more bytes with 10 bytes available: no end checks between bytes. */
    private long readVarLongUnrolled(byte[] b, int start) {
        int p = start;
        long result = b[p++] & 0x7F;
        for (int shift = 7; shift < 64; shift += 7) {
            long x = b[p++];
            result |= (x & 0x7F) << shift;
            if (x >= 0) {
                if (x == 0) {
                    throw malformed(start, "varint not in its shortest form");
                }
                if (shift == 63 && x > 1) {
                    throw malformed(start, "varint larger than 64 bits");
                }
                pos = p;
                return result;
            }
        }
        throw malformed(start, "varint longer than 10 bytes");
    }

    /** A varint near the end of the input: each byte's presence is checked. */
    private long readVarLongChecked() {
        int at = pos;
        int p = at;
        byte[] bytes = buf;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) {
                throw truncated(p, 1);
            }
            int b = bytes[p++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (b == 0 && shift > 0) {
                    throw malformed(at, "varint not in its shortest form");
                }
                if (shift == 63 && b > 1) {
                    throw malformed(at, "varint larger than 64 bits");
                }
                pos = p;
                return result;
            }
        }
        throw malformed(at, "varint longer than 10 bytes");
    }

    /** @return the next zigzag-mapped varint */
    public long readZigZagLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** @return the next 8 bytes, little-endian */
    public long readFixed64() {
        require(8);
        long v = (long) LONG_LE.get(buf, pos);
        pos += 8;
        return v;
    }

    /** @return the next 8 bytes as an IEEE 754 double, little-endian */
    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    /** @return the next length-prefixed bytes, at most {@link Limits#MAX_BYTES_LENGTH} */
    public byte[] readBytes() {
        int len = readLength(Limits.MAX_BYTES_LENGTH, "MAX_BYTES_LENGTH", "bytes");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    /** @return the next length-prefixed UTF-8 string, at most {@link Limits#MAX_STRING_BYTES} */
    public String readString() {
        return readString(Limits.MAX_STRING_BYTES, "MAX_STRING_BYTES");
    }

    String readString(int maxBytes, String limitName) {
        int len = readLength(maxBytes, limitName, "string");
        return utf8(len);
    }

    /** Decodes {@code len} bytes, already checked to be there, as UTF-8. */
    String utf8(int len) {
        String s = Utf8.decodeValue(buf, pos, len);
        if (s == null) {
            throw malformed(pos, "string is not well-formed UTF-8");
        }
        pos += len;
        return s;
    }

    /**
     * Reads a varint length and checks it against a limit and the bytes remaining, before the
     * caller allocates anything for it.
     */
    int readLength(int max, String limitName, String what) {
        int at = pos;
        long len = readVarLong();
        if (len < 0 || len > max) {
            throw limit(at, what + " length " + Long.toUnsignedString(len) + " exceeds " + limitName + " (" + max + ")");
        }
        if (len > end - pos) {
            throw malformed(at, what + " length " + len + " but only " + (end - pos) + " bytes remain");
        }
        return (int) len;
    }

    /**
     * Checks an element count against a limit and against the bytes remaining, each element
     * taking at least {@code minBytesEach} bytes, before the caller allocates anything for it.
     */
    int checkCount(long count, int at, int max, String limitName, String what, int minBytesEach) {
        if (count < 0 || count > max) {
            throw limit(at, what + " count " + Long.toUnsignedString(count) + " exceeds " + limitName + " (" + max + ")");
        }
        if (count * minBytesEach > end - pos) {
            throw malformed(at, what + " count " + count + " but only " + (end - pos) + " bytes remain");
        }
        return (int) count;
    }

    /** @return the next value; the key table starts empty, as {@link BlazeWriter#writeValue} does */
    public Value readValue() {
        // taken from the thread that reads, not the one that built the reader: a value is decoded
        // in one call, with no callbacks, so the thread's table is not shared meanwhile
        keys = DecoderKeys.forThisThread();
        return readTree();
    }

    /** Reads the next value with the key table this reader holds, started empty. */
    Value readTree() {
        keys.clear();
        return ValueDecoder.read(this, 0);
    }

    /** @return the next 16-byte big-endian node id */
    public NodeId readNodeId() {
        return new NodeId(readBigEndian(), readBigEndian());
    }

    long readBigEndian() {
        require(8);
        long v = (long) LONG_BE.get(buf, pos);
        pos += 8;
        return v;
    }

    /** @return the next operation id: node id, varint sequence of at least 1 */
    public OpId readOpId() {
        NodeId origin = readNodeId();
        int at = pos;
        long seq = readVarLong();
        if (seq < 1) {
            throw malformed(at, "operation sequence " + Long.toUnsignedString(seq) + " is not in 1.." + Long.MAX_VALUE);
        }
        return new OpId(origin, seq);
    }

    /** @return the next clock stamp: varint wall time, varint counter, node id */
    public Hlc readHlc() {
        long wall = readWallTime();
        int counter = readCounter();
        return new Hlc(wall, counter, readNodeId());
    }

    long readWallTime() {
        int at = pos;
        long wall = readVarLong();
        if (wall < 0) {
            throw malformed(at, "clock wall time " + Long.toUnsignedString(wall) + " is out of range");
        }
        return wall;
    }

    int readCounter() {
        int at = pos;
        long counter = readVarLong();
        if (counter < 0 || counter > Integer.MAX_VALUE) {
            throw malformed(at, "clock counter " + Long.toUnsignedString(counter) + " is out of range");
        }
        return (int) counter;
    }

    /** @return the next version vector: count, then node ids in ascending order with sequences of at least 1 */
    public VersionVector readVersionVector() {
        int at = pos;
        int n = checkCount(readVarLong(), at, Limits.MAX_VECTOR_ENTRIES, "MAX_VECTOR_ENTRIES", "version vector entry", 17);
        Map<NodeId, Long> entries = new TreeMap<>();
        NodeId previous = null;
        for (int i = 0; i < n; i++) {
            int entryAt = pos;
            NodeId node = readNodeId();
            if (previous != null && previous.compareTo(node) >= 0) {
                throw malformed(entryAt, "version vector node ids not in strictly ascending order");
            }
            int seqAt = pos;
            long seq = readVarLong();
            if (seq < 1) {
                throw malformed(seqAt, "version vector sequence " + Long.toUnsignedString(seq) + " is not in 1.." + Long.MAX_VALUE);
            }
            entries.put(node, seq);
            previous = node;
        }
        return VersionVector.of(entries);
    }

    /** @return the next operation, in the layout {@link BlazeWriter#writeOperation} writes */
    public Operation readOperation() {
        return OperationCodec.read(this);
    }

    void require(int n) {
        if (n > end - pos) {
            throw truncated(pos, n);
        }
    }

    BlazeFormatException truncated(int at, int needed) {
        return malformed(at, "truncated input: " + needed + " more byte(s) needed, " + (end - at) + " remain");
    }

    BlazeFormatException malformed(int at, String problem) {
        return new BlazeFormatException(ErrorCode.MALFORMED_DATA, at - start, problem);
    }

    BlazeFormatException limit(int at, String problem) {
        return new BlazeFormatException(ErrorCode.LIMIT_EXCEEDED, at - start, problem);
    }
}
