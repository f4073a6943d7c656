package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.UUID;
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
 * Reads values in the form summarised in {@link Tags}. Recursion is bounded by
 * {@link Limits#MAX_DEPTH}; every count is checked against the bytes remaining (each element takes
 * at least one byte, each map entry two) before an array is sized; forms the encoder never writes
 * (a long tag for a short item, an unsorted or repeated key, a non-canonical NaN, float or
 * timestamp) are rejected, so a decoded value re-encodes to the same bytes.
 */
final class ValueDecoder {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Keys of a map not in its {@link KeySequence} after which the rest is read key by key. */
    private static final int MAX_SEQUENCE_MISSES = 2;
    /** Set in what {@link #match} returns for a key written as a back-reference. */
    private static final int BY_REFERENCE = 1 << 30;
    private static final long CANONICAL_NAN = 0x7ff8000000000000L;
    private static final long MIN_SECOND = Instant.MIN.getEpochSecond();
    private static final long MAX_SECOND = Instant.MAX.getEpochSecond();
    /** The one-byte ints, shared: values are immutable, and these are the most common. */
    private static final IntValue[] SMALL_INTS = new IntValue[Tags.SMALL_INT_COUNT];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = new IntValue(i);
        }
    }

    private ValueDecoder() {
    }

    static Value read(BlazeReader r, int depth) {
        int at = r.pos;
        int tag = r.readByte();
        if (tag >= Tags.SHORT_STRING) {
            if (tag < Tags.SHORT_STRING + Tags.SHORT_STRING_COUNT) {
                int len = tag - Tags.SHORT_STRING;
                r.require(len);
                return new StringValue(r.utf8(len));
            }
            if (tag < Tags.SMALL_LIST + Tags.SMALL_CONTAINER_COUNT) {
                return readList(r, at, tag - Tags.SMALL_LIST, depth + 1);
            }
            if (tag < Tags.SMALL_MAP + Tags.SMALL_CONTAINER_COUNT) {
                return readMap(r, at, tag - Tags.SMALL_MAP, depth + 1);
            }
            throw r.malformed(at, "unknown value tag 0x" + Integer.toHexString(tag));
        }
        if (tag >= Tags.SMALL_INT) {
            return SMALL_INTS[tag - Tags.SMALL_INT];
        }
        if (tag >= Tags.DECIMAL && tag < Tags.DECIMAL + Tags.DECIMAL_COUNT) {
            return readDecimal(r, at, tag - Tags.DECIMAL);
        }
        if (tag >= Tags.EPOCH_MILLIS && tag < Tags.EPOCH_MILLIS + Tags.EPOCH_MILLIS_COUNT) {
            return readEpochMillis(r, tag - Tags.EPOCH_MILLIS);
        }
        switch (tag) {
            case Tags.NULL:
                return Value.nullValue();
            case Tags.FALSE:
                return Value.of(false);
            case Tags.TRUE:
                return Value.of(true);
            case Tags.INT_POSITIVE:
                return readPositiveInt(r, at);
            case Tags.INT_NEGATIVE:
                return readNegativeInt(r, at);
            case Tags.FLOAT64:
                return readFloat64(r, at);
            case Tags.STRING:
                return readLongString(r, at);
            case Tags.BYTES:
                return new BytesValue(r.readBytes());
            case Tags.TIMESTAMP_MILLIS:
                return readTimestampMillis(r, at);
            case Tags.TIMESTAMP:
                return readTimestamp(r, at);
            case Tags.UUID:
                return new UuidValue(new UUID(r.readBigEndian(), r.readBigEndian()));
            case Tags.LIST:
                return readList(r, at, readLongCount(r, at, "list element", 1), depth + 1);
            case Tags.MAP:
                return readMap(r, at, readLongCount(r, at, "map entry", 2), depth + 1);
            default:
                throw r.malformed(at, "unknown value tag 0x" + Integer.toHexString(tag));
        }
    }

    private static Value readPositiveInt(BlazeReader r, int at) {
        long n = r.readVarLong();
        if (n < 0) {
            throw r.malformed(at, "int " + Long.toUnsignedString(n) + " is beyond int64");
        }
        if (n < Tags.SMALL_INT_COUNT) {
            throw r.malformed(at, "non-canonical int: " + n + " has a one-byte form");
        }
        return new IntValue(n);
    }

    private static Value readNegativeInt(BlazeReader r, int at) {
        long magnitude = r.readVarLong();
        if (magnitude < 0) {
            throw r.malformed(at, "int -" + Long.toUnsignedString(magnitude) + "-1 is beyond int64");
        }
        return new IntValue(~magnitude);
    }

    private static Value readFloat64(BlazeReader r, int at) {
        long bits = r.readFixed64();
        double d = Double.longBitsToDouble(bits);
        if (d != d && bits != CANONICAL_NAN) {
            throw r.malformed(at, "non-canonical NaN 0x" + Long.toHexString(bits));
        }
        if (Decimals.pack(d) != Decimals.NONE) {
            throw r.malformed(at, "non-canonical float: " + d + " has a decimal form");
        }
        return new FloatValue(d);
    }

    private static Value readDecimal(BlazeReader r, int at, int scale) {
        long zz = r.readVarLong();
        if (zz < 0 || zz >= Decimals.ZIGZAG_LIMIT) {
            throw r.malformed(at, "decimal mantissa out of range");
        }
        long m = (zz >>> 1) ^ -(zz & 1);
        if (scale > 0 && m % 10 == 0) {
            throw r.malformed(at, "non-canonical decimal: mantissa " + m + " with scale " + scale + " ends in 0");
        }
        return new FloatValue(Decimals.unscale(m, scale));
    }

    private static Value readLongString(BlazeReader r, int at) {
        int len = r.readLength(Limits.MAX_STRING_BYTES, "MAX_STRING_BYTES", "string");
        if (len < Tags.SHORT_STRING_COUNT) {
            throw r.malformed(at, "non-canonical string: length " + len + " has a one-byte header");
        }
        return new StringValue(r.utf8(len));
    }

    private static Value readEpochMillis(BlazeReader r, int top) {
        r.require(5);
        byte[] b = r.buf;
        int p = r.pos;
        long low = b.length - p >= 8
                ? (long) LONG_LE.get(b, p) & 0xFF_FFFF_FFFFL // one load; the 3 bytes after are not used
                : (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
                        | (b[p + 4] & 0xFFL) << 32;
        r.pos = p + 5;
        // every 44-bit count of milliseconds is valid and has no other form: no check needed
        return TimestampValue.ofEpochMilli(((long) top << Tags.EPOCH_MILLIS_TAG_SHIFT) | low);
    }

    private static Value readTimestampMillis(BlazeReader r, int at) {
        long millis = r.readZigZagLong();
        if ((millis >>> Tags.EPOCH_MILLIS_TAG_SHIFT) < Tags.EPOCH_MILLIS_COUNT) {
            throw r.malformed(at, "non-canonical timestamp: " + millis + " ms since the epoch has the 6-byte form (tags 0x20..0x2F)");
        }
        if (Math.abs(Math.floorDiv(millis, 1000L)) > ValueEncoder.MILLIS_SECONDS_LIMIT) {
            throw r.malformed(at, "non-canonical timestamp: millisecond form beyond its range");
        }
        return TimestampValue.ofEpochMilli(millis);
    }

    private static Value readTimestamp(BlazeReader r, int at) {
        long seconds = r.readZigZagLong();
        long nanos = r.readVarLong();
        if (nanos < 0 || nanos >= 1_000_000_000L) {
            throw r.malformed(at, "timestamp nanoseconds " + Long.toUnsignedString(nanos) + " not in 0..999999999");
        }
        if (nanos % 1_000_000 == 0 && Math.abs(seconds) <= ValueEncoder.MILLIS_SECONDS_LIMIT) {
            throw r.malformed(at, "non-canonical timestamp: whole milliseconds have a shorter form");
        }
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            throw r.malformed(at, "timestamp " + seconds + "s is outside the supported range");
        }
        return new TimestampValue(seconds, (int) nanos);
    }

    private static int readLongCount(BlazeReader r, int at, String what, int minBytesEach) {
        long n = r.readVarLong();
        if (n >= 0 && n < Tags.SMALL_CONTAINER_COUNT) {
            throw r.malformed(at, "non-canonical " + what + " count " + n + " has a one-byte header");
        }
        return r.checkCount(n, at, Limits.MAX_ELEMENTS, "MAX_ELEMENTS", what, minBytesEach);
    }

    private static void checkDepth(BlazeReader r, int at, int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw r.limit(at, "lists and maps nested deeper than MAX_DEPTH (" + Limits.MAX_DEPTH + ")");
        }
    }

    private static Value readList(BlazeReader r, int at, int n, int depth) {
        checkDepth(r, at, depth);
        r.checkCount(n, at, Limits.MAX_ELEMENTS, "MAX_ELEMENTS", "list element", 1);
        if (n == 0) {
            return ListValue.EMPTY;
        }
        Value[] values = new Value[n];
        for (int i = 0; i < n; i++) {
            values[i] = read(r, depth);
        }
        // the decoder's own array, which nothing else holds: no copy
        return ListValue.ofTrusted(values);
    }

    private static Value readMap(BlazeReader r, int at, int n, int depth) {
        checkDepth(r, at, depth);
        r.checkCount(n, at, Limits.MAX_ELEMENTS, "MAX_ELEMENTS", "map entry", 2);
        if (n == 0) {
            return MapValue.EMPTY;
        }
        DecoderKeys table = r.keys;
        // keys and values in one array, as MapValue holds them
        Object[] entries = new Object[2 * n];
        int mark = table.pendingMark();
        int firstSlot = readKey(r, table);
        String firstKey = table.key(firstSlot);
        entries[0] = firstKey;
        // the keys that followed this first key before, checked against the input in turn; every
        // one of them sorts after the first key and after the one before it in the sequence
        KeySequence seq = table.sequenceAfter(firstSlot, firstKey);
        long epoch = table.epoch();
        int next = 0;
        int seqEnd = seq == null ? 0 : seq.size;
        int missesLeft = MAX_SEQUENCE_MISSES;
        // the previous key's order key: copied, as the slot of a key beyond a full table is reused
        long p0 = table.order0(firstSlot);
        long p1 = table.order1(firstSlot);
        int pl = table.orderLength(firstSlot);
        byte[] pb = pl > 16 ? table.orderBytes(firstSlot) : null;
        // the slot of the previous key if the sequence matched it (then p0 ... are not set)
        int matchedSlot = -1;
        // whether every entry of the sequence from next on sorts after the previous key
        boolean ordered = true;
        entries[1] = read(r, depth);
        for (int i = 1; i < n; i++) {
            int keyAt = r.pos;
            if (next < seqEnd) {
                int found = match(r, table, seq, next, keyAt, epoch);
                if (found >= 0) {
                    int t = found & ~BY_REFERENCE;
                    int slot = seq.slot(t);
                    if (!ordered && DecoderKeys.compare(p0, p1, pl, pb, table.order0(slot), table.order1(slot),
                            table.orderLength(slot), table.orderBytes(slot)) >= 0) {
                        throw r.malformed(keyAt, "map key \"" + abbreviate(seq.key(t)) + "\" is not after \""
                                + abbreviate((String) entries[2 * i - 2]) + "\": keys must be unique and in code point order");
                    }
                    if (found != t) {
                        r.pos = keyAt + 1; // a one-byte back-reference to a key of the table
                    } else if (table.joinMatched(slot)) {
                        r.pos = keyAt + seq.length(t);
                    } else {
                        throw repeated(r, keyAt, table);
                    }
                    entries[2 * i] = seq.key(t);
                    matchedSlot = slot;
                    ordered = true;
                    next = t + 1;
                    entries[2 * i + 1] = read(r, depth);
                    continue;
                }
                if (--missesLeft < 0) {
                    next = seqEnd; // bounds the entries tried per map
                }
            }
            if (matchedSlot >= 0) {
                // a matched key is in its cache slot, which no other key takes within this tree
                p0 = table.order0(matchedSlot);
                p1 = table.order1(matchedSlot);
                pl = table.orderLength(matchedSlot);
                pb = pl > 16 ? table.orderBytes(matchedSlot) : null;
                matchedSlot = -1;
            }
            ordered = false;
            int slot = readKey(r, table);
            String key = table.key(slot);
            entries[2 * i] = key;
            long k0 = table.order0(slot);
            long k1 = table.order1(slot);
            int kl = table.orderLength(slot);
            byte[] kb = kl > 16 ? table.orderBytes(slot) : null;
            // UTF-8 byte order is code point order (KEY_ORDER), and comparing it is much cheaper
            if (DecoderKeys.compare(p0, p1, pl, pb, k0, k1, kl, kb) >= 0) {
                throw r.malformed(keyAt, "map key \"" + abbreviate(key) + "\" is not after \""
                        + abbreviate((String) entries[2 * i - 2]) + "\": keys must be unique and in code point order");
            }
            if ((r.buf[keyAt] & 1) == 0) {
                table.learn(keyAt, r.pos - keyAt, slot); // written in full: the sequence learns it
            }
            entries[2 * i + 1] = read(r, depth);
            p0 = k0;
            p1 = k1;
            pl = kl;
            pb = kb;
        }
        if (table.pendingMark() != mark) {
            table.remember(firstSlot, firstKey, r.buf, mark);
        }
        // the order was checked above, on the bytes: no need to copy and compare again
        return MapValue.ofEntriesTrusted(entries);
    }

    /**
     * @return the entry of {@code seq} from {@code next} on whose encoding the input at
     *         {@code keyAt} starts with and which can join the table, or that a one-byte
     *         back-reference there refers to (then with {@link #BY_REFERENCE} set), or -1
     */
    private static int match(BlazeReader r, DecoderKeys table, KeySequence seq, int next, int keyAt, long epoch) {
        if (table.epoch() != epoch || table.size() >= Limits.MAX_KEY_TABLE) {
            return -1; // a slot got another key while a value was read; or a key beyond a full table
        }
        byte[] b = r.buf;
        int left = b.length - keyAt;
        long w0 = left >= 8 ? (long) LONG_LE.get(b, keyAt) : DecoderKeys.first8(b, keyAt, left);
        if ((w0 & 0x81) == 1) {
            // a one-byte back-reference: the entry whose slot the table holds at that index
            int index = (int) (w0 & 0x7F) >>> 1;
            int t = keyAt < r.end && index < table.size() ? seq.find(table.slotAt(index), next) : -1;
            return t >= 0 ? t | BY_REFERENCE : -1;
        }
        int t = seq.find(w0, b, keyAt, next);
        // bytes past the end of the range (or zeros past the end of the array) may have matched:
        // then the key is read in full, and refused
        return t >= 0 && seq.length(t) <= r.end - keyAt ? t : -1;
    }

    /**
     * Reads a key: a back-reference, or a new key packed or in UTF-8.
     *
     * @return the key's slot in the table ({@link DecoderKeys#key}, {@link DecoderKeys#order0} ...)
     */
    private static int readKey(BlazeReader r, DecoderKeys table) {
        int at = r.pos;
        long header = r.readVarLong();
        if ((header & 1) != 0) {
            long index = header >>> 1;
            if (index >= table.size()) {
                throw r.malformed(at, "map key back-reference " + index + " but only " + table.size() + " keys seen");
            }
            return table.slotAt((int) index);
        }
        long len = header >>> 2;
        if (len > Limits.MAX_STRING_BYTES) {
            throw r.limit(at, "map key length " + len + " exceeds MAX_STRING_BYTES (" + Limits.MAX_STRING_BYTES + ")");
        }
        boolean packed = (header & 2) != 0;
        int inputBytes = packed ? PackedKeys.packedLength((int) len) : (int) len;
        if (inputBytes > r.remaining()) {
            throw r.malformed(at, "map key of " + inputBytes + " bytes but only " + r.remaining() + " bytes remain");
        }
        int slot = table.add(r.buf, r.pos, inputBytes, (int) len, packed);
        if (slot < 0) {
            throw badKey(r, at, slot, (int) len);
        }
        r.pos += inputBytes;
        return slot;
    }

    private static BlazeFormatException badKey(BlazeReader r, int at, int problem, int len) {
        switch (problem) {
            case DecoderKeys.INVALID_UTF8:
                return r.malformed(r.pos, "string is not well-formed UTF-8");
            case DecoderKeys.SHOULD_BE_PACKED:
                return r.malformed(at, "non-canonical map key: \"" + abbreviate(Utf8.decode(r.buf, r.pos, len))
                        + "\" written in UTF-8 but it has a packed form");
            case DecoderKeys.BAD_PADDING:
                return r.malformed(at, "non-canonical packed map key: the bits after its last character are not zero");
            default:
                return repeated(r, at, r.keys);
        }
    }

    private static BlazeFormatException repeated(BlazeReader r, int at, DecoderKeys table) {
        return r.malformed(at, "non-canonical map key: \"" + abbreviate(table.repeatedKey())
                + "\" repeated in full instead of by reference");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
