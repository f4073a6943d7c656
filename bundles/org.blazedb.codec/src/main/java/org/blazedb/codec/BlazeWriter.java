package org.blazedb.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.*;

/** Writes BlazeBinary into a growable buffer. Not thread-safe. */
public final class BlazeWriter {
    private byte[] buf;
    private int size;

    /** A writer with a small initial buffer. */
    public BlazeWriter() {
        this(64);
    }

    /** @param capacity initial capacity */
    public BlazeWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    /** @param b a byte @return this */
    public BlazeWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** @param v unsigned LEB128 @return this */
    public BlazeWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** @param v signed, zig-zag then varint @return this */
    public BlazeWriter writeZigZagLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    /** @param v eight bytes, big-endian @return this */
    public BlazeWriter writeFixed64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[size++] = (byte) (v >>> (i * 8));
        }
        return this;
    }

    /** @param v IEEE 754 bits as fixed64 @return this */
    public BlazeWriter writeDouble(double v) {
        return writeFixed64(Double.doubleToRawLongBits(v));
    }

    /** @param b length-prefixed bytes @return this */
    public BlazeWriter writeBytes(byte[] b) {
        writeVarLong(b.length);
        return writeRaw(b, 0, b.length);
    }

    /** @param b bytes without a length @param off offset @param len length @return this */
    public BlazeWriter writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /** @param s length-prefixed UTF-8 @return this */
    public BlazeWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** @param v a value, tagged @return this */
    public BlazeWriter writeValue(Value v) {
        switch (v.type()) {
            case NULL -> writeByte(0);
            case BOOLEAN -> writeByte(((BoolValue) v).value() ? 2 : 1);
            case INT -> writeByte(3).writeZigZagLong(((IntValue) v).value());
            case FLOAT -> writeByte(4).writeDouble(((FloatValue) v).value());
            case STRING -> writeByte(5).writeString(((StringValue) v).value());
            case BYTES -> writeByte(6).writeBytes(((BytesValue) v).toByteArray());
            case TIMESTAMP -> {
                java.time.Instant t = ((TimestampValue) v).value();
                writeByte(7).writeZigZagLong(t.getEpochSecond()).writeVarLong(t.getNano());
            }
            case UUID -> {
                java.util.UUID u = ((UuidValue) v).value();
                writeByte(8).writeFixed64(u.getMostSignificantBits()).writeFixed64(u.getLeastSignificantBits());
            }
            case LIST -> {
                ListValue l = (ListValue) v;
                writeByte(9).writeVarLong(l.size());
                for (int i = 0; i < l.size(); i++) {
                    writeValue(l.get(i));
                }
            }
            case MAP -> {
                writeByte(10);
                writeMapBody((MapValue) v);
            }
        }
        return this;
    }

    void writeMapBody(MapValue m) {
        writeVarLong(m.size());
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            writeString(e.getKey());
            writeValue(e.getValue());
        }
    }

    /** @param n node id, 16 bytes @return this */
    public BlazeWriter writeNodeId(NodeId n) {
        return writeFixed64(n.high()).writeFixed64(n.low());
    }

    /** @param id operation id @return this */
    public BlazeWriter writeOpId(OpId id) {
        return writeNodeId(id.origin()).writeVarLong(id.sequence());
    }

    /** @param h clock stamp @return this */
    public BlazeWriter writeHlc(Hlc h) {
        return writeVarLong(h.wallTime()).writeVarLong(h.counter()).writeNodeId(h.node());
    }

    /** @param v version vector @return this */
    public BlazeWriter writeVersionVector(VersionVector v) {
        writeVarLong(v.entries().size());
        v.entries().forEach((n, s) -> writeNodeId(n).writeVarLong(s));
        return this;
    }

    /** @param op operation @return this */
    public BlazeWriter writeOperation(Operation op) {
        writeOpId(op.id()).writeVarLong(op.stamp().wallTime()).writeVarLong(op.stamp().counter());
        writeString(op.collection()).writeString(op.documentId()).writeByte(op.kind().ordinal());
        writeMapBody(op.fields());
        writeVarLong(op.unset().size());
        for (String u : op.unset()) {
            writeString(u);
        }
        return writeVersionVector(op.context());
    }

    /** @return a copy of what was written */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** @return bytes written */
    public int size() {
        return size;
    }

    /** Forgets what was written, keeping the buffer. */
    public void reset() {
        size = 0;
    }
}
