package org.blazedb.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.*;

/** Reads BlazeBinary, checking bounds and limits before allocating. Not thread-safe. */
public final class BlazeReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    /** @param bytes the input */
    public BlazeReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** @param bytes input @param offset start @param length length */
    public BlazeReader(byte[] bytes, int offset, int length) {
        this.buf = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    private void need(long n) {
        if (n < 0 || n > end - pos) {
            throw new BlazeFormatException("Truncated input: need " + n + " bytes at " + pos + ", " + (end - pos) + " left");
        }
    }

    /** @return one unsigned byte */
    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    /** @return an unsigned LEB128 */
    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new BlazeFormatException("Varint longer than 10 bytes at " + pos);
    }

    /** @return a zig-zag signed long */
    public long readZigZagLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** @return eight bytes big-endian */
    public long readFixed64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    /** @return a double */
    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    private int length(long max) {
        long n = readVarLong();
        if (n > max) {
            throw new BlazeFormatException(ErrorCode.LIMIT_EXCEEDED, "Length " + n + " exceeds the limit " + max);
        }
        need(n);
        return (int) n;
    }

    /** @return length-prefixed bytes */
    public byte[] readBytes() {
        int n = length(Limits.MAX_BYTES);
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    /** @return length-prefixed UTF-8 */
    public String readString() {
        int n = length(Limits.MAX_BYTES);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** @return a tagged value */
    public Value readValue() {
        return readValue(0);
    }

    private Value readValue(int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw new BlazeFormatException(ErrorCode.LIMIT_EXCEEDED, "Nesting deeper than " + Limits.MAX_DEPTH);
        }
        int tag = readByte();
        return switch (tag) {
            case 0 -> Value.nullValue();
            case 1 -> Value.of(false);
            case 2 -> Value.of(true);
            case 3 -> Value.of(readZigZagLong());
            case 4 -> Value.of(readDouble());
            case 5 -> Value.of(readString());
            case 6 -> Value.of(readBytes());
            case 7 -> {
                long s = readZigZagLong();
                long n = readVarLong();
                if (n > 999_999_999L) {
                    throw new BlazeFormatException("Bad nanoseconds " + n);
                }
                yield Value.of(java.time.Instant.ofEpochSecond(s, n));
            }
            case 8 -> Value.of(new java.util.UUID(readFixed64(), readFixed64()));
            case 9 -> {
                int n = count();
                List<Value> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    l.add(readValue(depth + 1));
                }
                yield Value.of(l);
            }
            case 10 -> readMapBody(depth + 1);
            default -> throw new BlazeFormatException("Unknown value tag " + tag + " at " + (pos - 1));
        };
    }

    private int count() {
        long n = readVarLong();
        if (n > Limits.MAX_ELEMENTS || n > remaining()) {
            throw new BlazeFormatException(ErrorCode.LIMIT_EXCEEDED, "Element count " + n + " too large");
        }
        return (int) n;
    }

    MapValue readMapBody(int depth) {
        int n = count();
        TreeMap<String, Value> m = new TreeMap<>(Value.KEY_ORDER);
        for (int i = 0; i < n; i++) {
            String k = readString();
            if (m.put(k, readValue(depth)) != null) {
                throw new BlazeFormatException("Duplicate map key '" + k + "'");
            }
        }
        return MapValue.of(m);
    }

    /** @return a node id */
    public NodeId readNodeId() {
        return new NodeId(readFixed64(), readFixed64());
    }

    /** @return an operation id */
    public OpId readOpId() {
        NodeId n = readNodeId();
        long s = readVarLong();
        if (s < 1) {
            throw new BlazeFormatException("Operation sequence " + s);
        }
        return new OpId(n, s);
    }

    /** @return a clock stamp */
    public Hlc readHlc() {
        long w = readVarLong();
        long c = readVarLong();
        if (w < 0 || c > Integer.MAX_VALUE) {
            throw new BlazeFormatException("Bad clock stamp");
        }
        return new Hlc(w, (int) c, readNodeId());
    }

    /** @return a version vector */
    public VersionVector readVersionVector() {
        int n = count();
        TreeMap<NodeId, Long> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            NodeId node = readNodeId();
            long s = readVarLong();
            if (s < 0) {
                throw new BlazeFormatException("Negative sequence");
            }
            m.put(node, s);
        }
        return VersionVector.of(m);
    }

    /** @return an operation */
    public Operation readOperation() {
        OpId id = readOpId();
        long w = readVarLong();
        long c = readVarLong();
        String coll = readString();
        String doc = readString();
        int k = readByte();
        if (k >= OperationKind.values().length) {
            throw new BlazeFormatException("Unknown operation kind " + k);
        }
        MapValue fields = readMapBody(1);
        int n = count();
        TreeSet<String> unset = new TreeSet<>(Value.KEY_ORDER);
        for (int i = 0; i < n; i++) {
            unset.add(readString());
        }
        VersionVector ctx = readVersionVector();
        try {
            return new Operation(id, new Hlc(w, (int) c, id.origin()), coll, doc, OperationKind.values()[k], fields, unset, ctx);
        } catch (IllegalArgumentException e) {
            throw new BlazeFormatException("Invalid operation: " + e.getMessage());
        }
    }

    /** @return the read position */
    public int position() {
        return pos;
    }

    /** @param p a new read position within the input */
    public void position(int p) {
        if (p < 0 || p > end) {
            throw new BlazeFormatException("Position " + p + " out of bounds");
        }
        pos = p;
    }

    /** @return bytes left */
    public int remaining() {
        return end - pos;
    }

    /** @throws BlazeFormatException if bytes are left */
    public void expectEnd() {
        if (pos != end) {
            throw new BlazeFormatException((end - pos) + " trailing bytes");
        }
    }
}
