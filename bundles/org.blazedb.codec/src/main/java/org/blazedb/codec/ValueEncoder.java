package org.blazedb.codec;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.BoolValue;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.FloatValue;
import org.blazedb.api.value.IntValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.TimestampValue;
import org.blazedb.api.value.UuidValue;
import org.blazedb.api.value.Value;

/**
 * Writes values in the canonical BlazeBinary form summarised in {@link Tags}: whenever two forms
 * could carry a value, the rule there picks one, so equal values give equal bytes.
 */
final class ValueEncoder {
    /** Seconds within which a whole-millisecond instant is written as epoch millis without overflow. */
    static final long MILLIS_SECONDS_LIMIT = Long.MAX_VALUE / 1000 - 1;

    private ValueEncoder() {
    }

    static void write(BlazeWriter w, Value v, int depth) {
        switch (v.type()) {
            case NULL:
                w.writeByte(Tags.NULL);
                break;
            case BOOLEAN:
                w.writeByte(((BoolValue) v).value() ? Tags.TRUE : Tags.FALSE);
                break;
            case INT:
                writeInt(w, ((IntValue) v).value());
                break;
            case FLOAT:
                writeFloat(w, ((FloatValue) v).value());
                break;
            case STRING:
                writeString(w, ((StringValue) v).value());
                break;
            case BYTES:
                w.writeByte(Tags.BYTES);
                w.writeBytes(((BytesValue) v).toByteArray());
                break;
            case TIMESTAMP:
                writeTimestamp(w, ((TimestampValue) v).value());
                break;
            case UUID:
                UUID u = ((UuidValue) v).value();
                w.writeByte(Tags.UUID);
                writeBigEndian(w, u.getMostSignificantBits());
                writeBigEndian(w, u.getLeastSignificantBits());
                break;
            case LIST:
                writeList(w, ((ListValue) v).values(), depth + 1);
                break;
            case MAP:
                writeMap(w, (MapValue) v, depth + 1);
                break;
            default:
                throw new IllegalStateException("Unknown value type " + v.type());
        }
    }

    private static void writeInt(BlazeWriter w, long n) {
        if (n >= 0 && n < Tags.SMALL_INT_COUNT) {
            w.writeByte(Tags.SMALL_INT + (int) n);
        } else if (n > 0) {
            w.writeByte(Tags.INT_POSITIVE);
            w.writeVarLong(n);
        } else {
            // the sign is in the tag, so a negative number costs no more than its magnitude
            w.writeByte(Tags.INT_NEGATIVE);
            w.writeVarLong(~n);
        }
    }

    private static void writeFloat(BlazeWriter w, double d) {
        long packed = Decimals.pack(d);
        if (packed != Decimals.NONE) {
            // the scale is in the tag: a price such as 19.99 takes 3 bytes
            w.writeByte(Tags.DECIMAL + (int) (packed & 15));
            w.writeVarLong(packed >>> 4);
        } else {
            w.writeByte(Tags.FLOAT64);
            w.writeDouble(d);
        }
    }

    private static void writeString(BlazeWriter w, String s) {
        if (s.length() < Tags.SHORT_STRING_COUNT && w.tryWriteShortAscii(Tags.SHORT_STRING + s.length(), s)) {
            return;
        }
        int len = w.utf8Length(s, Limits.MAX_STRING_BYTES);
        if (len < Tags.SHORT_STRING_COUNT) {
            w.writeByte(Tags.SHORT_STRING + len);
        } else {
            w.writeByte(Tags.STRING);
            w.writeVarLong(len);
        }
        w.writeUtf8(s, len);
    }

    private static void writeTimestamp(BlazeWriter w, Instant t) {
        long seconds = t.getEpochSecond();
        int nanos = t.getNano();
        if (nanos % 1_000_000 == 0 && Math.abs(seconds) <= MILLIS_SECONDS_LIMIT) {
            w.writeByte(Tags.TIMESTAMP_MILLIS);
            w.writeZigZagLong(seconds * 1000 + nanos / 1_000_000);
        } else {
            w.writeByte(Tags.TIMESTAMP);
            w.writeZigZagLong(seconds);
            w.writeVarLong(nanos);
        }
    }

    static void writeBigEndian(BlazeWriter w, long v) {
        w.ensure(8);
        for (int i = 7; i >= 0; i--) {
            w.buf[w.pos++] = (byte) (v >>> (8 * i));
        }
    }

    private static void writeList(BlazeWriter w, List<Value> values, int depth) {
        checkDepth(depth);
        int n = values.size();
        checkCount(n);
        writeContainerHeader(w, Tags.SMALL_LIST, Tags.LIST, n);
        for (int i = 0; i < n; i++) {
            write(w, values.get(i), depth);
        }
    }

    private static void writeMap(BlazeWriter w, MapValue map, int depth) {
        checkDepth(depth);
        int n = map.size();
        checkCount(n);
        writeContainerHeader(w, Tags.SMALL_MAP, Tags.MAP, n);
        // indexed access reads the map's sorted arrays without allocating entry objects
        for (int i = 0; i < n; i++) {
            writeKey(w, map.keyAt(i));
            write(w, map.valueAt(i), depth);
        }
    }

    private static void writeContainerHeader(BlazeWriter w, int smallTag, int tag, int n) {
        if (n < Tags.SMALL_CONTAINER_COUNT) {
            w.writeByte(smallTag + n);
        } else {
            w.writeByte(tag);
            w.writeVarLong(n);
        }
    }

    private static void writeKey(BlazeWriter w, String key) {
        int index = w.keyTable.indexOrAdd(key);
        if (index >= 0) {
            w.writeVarLong(((long) index << 1) | 1);
            return;
        }
        if (w.writeCachedKey(key)) {
            return;
        }
        int start = w.pos;
        if (key.length() >= 64 || !w.tryWriteShortAscii(key.length() << 1, key)) {
            // (length << 1) < 128 fits the one-byte header tryWriteShortAscii writes
            int len = w.utf8Length(key, Limits.MAX_STRING_BYTES);
            w.writeVarLong((long) len << 1);
            w.writeUtf8(key, len);
        }
        w.cacheKey(key, start);
    }

    private static void checkDepth(int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw new BlazeException(ErrorCode.INVALID_VALUE,
                    "A value nests lists and maps deeper than MAX_DEPTH (" + Limits.MAX_DEPTH + ")");
        }
    }

    private static void checkCount(int n) {
        if (n > Limits.MAX_ELEMENTS) {
            throw BlazeWriter.tooLarge("A list or map", n, "MAX_ELEMENTS", Limits.MAX_ELEMENTS);
        }
    }
}
