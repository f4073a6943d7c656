package org.blazedb.codec;

import java.util.List;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.BoolValue;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.FloatValue;
import org.blazedb.api.value.IntValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.NullValue;
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

    /** Room for any scalar value: a tag, and at most two varints (a timestamp's) or 16 bytes. */
    static final int MAX_SCALAR_BYTES = 21;
    /** Room for a map entry whose key is cached or a back-reference and whose value is a scalar. */
    private static final int ENTRY_BYTES = EncoderKeys.MAX_FAST_KEY_BYTES + MAX_SCALAR_BYTES;

    static void write(BlazeWriter w, Value v, int depth) {
        w.ensure(MAX_SCALAR_BYTES);
        writeWithRoom(w, v, depth);
    }

    /** Writes a value; the caller has {@link BlazeWriter#ensure ensured} {@link #MAX_SCALAR_BYTES} of room. */
    private static void writeWithRoom(BlazeWriter w, Value v, int depth) {
        // instanceof on the final value classes, most frequent first, is a class-pointer compare
        // each; v.type() is an interface call with ten receiver classes, which the JIT cannot inline
        if (v instanceof StringValue s) {
            writeString(w, s.value());
        } else if (v instanceof FloatValue f) {
            writeFloat(w, f.value());
        } else if (v instanceof TimestampValue t) {
            writeTimestamp(w, t.epochSecond(), t.nano());
        } else if (v instanceof MapValue m) {
            writeMap(w, m, depth + 1);
        } else if (v instanceof IntValue i) {
            writeInt(w, i.value());
        } else if (v instanceof ListValue l) {
            writeList(w, l.values(), depth + 1);
        } else if (v instanceof BoolValue b) {
            w.putByte(b.value() ? Tags.TRUE : Tags.FALSE);
        } else if (v instanceof UuidValue u) {
            w.putByte(Tags.UUID);
            w.putLongBE(u.value().getMostSignificantBits());
            w.putLongBE(u.value().getLeastSignificantBits());
        } else if (v instanceof BytesValue b) {
            w.putByte(Tags.BYTES);
            w.writeBytes(b.toByteArray());
        } else if (v instanceof NullValue) {
            w.putByte(Tags.NULL);
        } else {
            throw new IllegalStateException("Unknown value type " + v.type());
        }
    }

    private static void writeInt(BlazeWriter w, long n) {
        if (n >= 0 && n < Tags.SMALL_INT_COUNT) {
            w.putByte(Tags.SMALL_INT + (int) n);
        } else if (n > 0) {
            w.putByte(Tags.INT_POSITIVE);
            w.putVarLong(n);
        } else {
            // the sign is in the tag, so a negative number costs no more than its magnitude
            w.putByte(Tags.INT_NEGATIVE);
            w.putVarLong(~n);
        }
    }

    private static void writeFloat(BlazeWriter w, double d) {
        long packed = Decimals.pack(d);
        if (packed != Decimals.NONE) {
            // the scale is in the tag: a price such as 19.99 takes 3 bytes
            w.putByte(Tags.DECIMAL + (int) (packed & 15));
            w.putVarLong(packed >>> 4);
        } else {
            w.putByte(Tags.FLOAT64);
            w.putLongLE(Double.doubleToLongBits(d), 8);
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

    private static void writeTimestamp(BlazeWriter w, long seconds, int nanos) {
        if (nanos % 1_000_000 == 0 && Math.abs(seconds) <= MILLIS_SECONDS_LIMIT) {
            long millis = seconds * 1000 + nanos / 1_000_000;
            if ((millis >>> Tags.EPOCH_MILLIS_TAG_SHIFT) < Tags.EPOCH_MILLIS_COUNT) {
                // 1970 to 2527: the tag holds the top 4 of 44 bits, 5 bytes the rest (6 bytes, not 7),
                // written as the tag byte and the millis above it in one store of 6 bytes
                int tag = Tags.EPOCH_MILLIS + (int) (millis >>> Tags.EPOCH_MILLIS_TAG_SHIFT);
                w.putLongLE(tag | (millis << 8), 6);
            } else {
                w.putByte(Tags.TIMESTAMP_MILLIS);
                w.putVarLong((millis << 1) ^ (millis >> 63));
            }
        } else {
            w.putByte(Tags.TIMESTAMP);
            w.putVarLong((seconds << 1) ^ (seconds >> 63));
            w.putVarLong(nanos);
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
        if (n == 0) {
            return;
        }
        EncoderKeys keys = w.keys;
        // the next entry's key and value are loaded (and their classes checked by the casts) before
        // this entry is written: the first touch of each object, often a cache miss, then overlaps
        // with the work on the entry before it instead of stalling the loop
        String nextKey = map.keyAt(0);
        Value nextValue = map.valueAt(0);
        for (int i = 0; i < n; i++) {
            String key = nextKey;
            Value value = nextValue;
            if (i + 1 < n) {
                nextKey = map.keyAt(i + 1);
                nextValue = map.valueAt(i + 1);
            }
            // one check of room for the key and a scalar value, most entries, instead of one each
            w.ensure(ENTRY_BYTES);
            keys.write(w, key);
            writeWithRoom(w, value, depth);
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
