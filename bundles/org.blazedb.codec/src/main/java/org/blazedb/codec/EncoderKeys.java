package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The encoder's side of the key table ({@code docs/format.md}, "Map entries"): writes each map key
 * of a value tree in full the first time and as a back-reference after that.
 *
 * <p>Documents repeat the same field names, so each key's encoded form (header and UTF-8) is kept
 * across value trees in a small direct-mapped cache indexed by the key's hash, together with the
 * value tree (generation) in which it last joined the table and its index there: one probe tells
 * whether the key is a repeat and, if not, gives the bytes to copy. A slot is never taken over by
 * another key within the same tree; a key whose slot is held that way goes to an ordinary
 * {@link KeyTable}, the overflow, as do long keys. Hence a key of the current tree is either in its
 * own slot with the current generation or in the overflow.
 *
 * <p>One instance per thread ({@link #forThisThread()}), taken by {@link BlazeWriter#writeValue}
 * for the duration of one value: the store builds a short-lived writer per record, and a cache per
 * writer would cost it some 40 KB of arrays each time. Not thread-safe.
 */
final class EncoderKeys {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<EncoderKeys> PER_THREAD = ThreadLocal.withInitial(EncoderKeys::new);
    private static final int CACHE_SLOTS = 1024;
    /** Longer keys (in chars) are not cached: rare, and they would pin more memory. */
    private static final int MAX_CACHED_LENGTH = 32;
    /** The most bytes a back-reference or a cached key of up to 16 bytes writes (two 8-byte stores). */
    static final int MAX_FAST_KEY_BYTES = 16;
    /** Key header low bits: {@code x1} back-reference, {@code 00} new key in UTF-8, {@code 10} new key packed. */
    static final int KEY_UTF8 = 0;
    static final int KEY_PACKED = 2;

    private final String[] cachedKeys = new String[CACHE_SLOTS];
    // What a lookup reads is kept together, SLOT_LONGS numbers per slot, rather than in one array
    // per field (one cache miss per field): a cached key's encoding (its first 16 bytes as two
    // numbers, its length) and the tree (generation) and index with which it last joined the table.
    private final long[] cached = new long[CACHE_SLOTS * SLOT_LONGS];
    private static final int SLOT_LONGS = 4;
    private static final int LO = 0;
    private static final int HI = 1;
    private static final int LENGTH = 2;
    /** generation &lt;&lt; 32 | table index */
    private static final int JOINED = 3;
    /** The encodings of cached keys longer than 16 bytes, which LO and HI do not hold. */
    private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
    private int generation = 1;
    private int size;
    private final KeyTable overflow = new KeyTable();

    static EncoderKeys forThisThread() {
        return PER_THREAD.get();
    }

    /** Starts a new value tree with an empty table. */
    void clear() {
        size = 0;
        if (++generation == 0) {
            for (int i = JOINED; i < cached.length; i += SLOT_LONGS) {
                cached[i] = 0;
            }
            generation = 1;
        }
        if (overflow.size() > 0) {
            overflow.clear();
        }
    }

    /**
     * Writes a map key. The caller has {@link BlazeWriter#ensure ensured} room for
     * {@link #MAX_FAST_KEY_BYTES} and {@code ValueEncoder.MAX_SCALAR_BYTES} bytes; that much
     * room for a scalar value is left after the key.
     */
    void write(BlazeWriter w, String key) {
        // the same String instance in its slot (field names are usually literals, shared by all
        // documents) is found from its cached hash alone, without reading its length from its
        // array. This common case is kept small, so that the JIT inlines it into the map loop
        // (it does not inline a hot method of more than 325 bytecodes): no call per key.
        int slot = slot(key);
        if (cachedKeys[slot] == key) {
            long[] c = cached;
            int at = slot * SLOT_LONGS;
            long joined = c[at + JOINED];
            if ((int) (joined >>> 32) == generation) {
                writeReference(w, joined);
                return;
            }
            int n = (int) c[at + LENGTH];
            if (n <= 16) {
                join(slot);
                writeShort(w, c, at, n);
                return;
            }
        }
        writeOther(w, key, slot);
    }

    /** {@link #write} for a key that is not the very instance in its slot, or is long. */
    private void writeOther(BlazeWriter w, String key, int slot) {
        // only long keys are never cached, so only a key that is not in its slot is measured
        String cachedKey = cachedKeys[slot];
        if (cachedKey != key && key.length() > MAX_CACHED_LENGTH) {
            writeUncached(w, key);
            w.ensure(ValueEncoder.MAX_SCALAR_BYTES);
            return;
        }
        long[] c = cached;
        int at = slot * SLOT_LONGS;
        if (cachedKey == key || (cachedKey != null && cachedKey.equals(key))) {
            long joined = c[at + JOINED];
            if ((int) (joined >>> 32) == generation) {
                writeReference(w, joined);
                return;
            }
            join(slot);
            int n = (int) c[at + LENGTH];
            if (n <= 16) {
                writeShort(w, c, at, n);
            } else {
                w.writeRaw(cachedBytes[slot], 0, n);
                w.ensure(ValueEncoder.MAX_SCALAR_BYTES);
            }
            return;
        }
        if (cachedKey != null && (int) (c[at + JOINED] >>> 32) == generation) {
            writeUncached(w, key); // the slot belongs to another key of this tree
            w.ensure(ValueEncoder.MAX_SCALAR_BYTES);
            return;
        }
        int start = w.pos;
        writeFull(w, key);
        cachedKeys[slot] = key;
        int n = w.pos - start;
        c[at + LENGTH] = n;
        c[at + LO] = bytesAt(w.buf, start, Math.min(n, 8));
        c[at + HI] = n > 8 ? bytesAt(w.buf, start + 8, Math.min(n - 8, 8)) : 0;
        cachedBytes[slot] = n > 16 ? Arrays.copyOfRange(w.buf, start, w.pos) : null;
        c[at + JOINED] = 0;
        join(slot);
        w.ensure(ValueEncoder.MAX_SCALAR_BYTES);
    }

    /** Writes a back-reference to a key joined to this tree ({@code joined} holds its index). */
    private static void writeReference(BlazeWriter w, long joined) {
        w.putVarLong(((joined & 0xFFFFFFFFL) << 1) | 1); // at most 2 bytes: MAX_KEY_TABLE is 4096
    }

    /** Writes the cached encoding of a key of at most 16 bytes from its slot's two longs at {@code at}. */
    private static void writeShort(BlazeWriter w, long[] c, int at, int n) {
        // two 8-byte stores instead of an array copy, which costs more for a few bytes
        LONG_LE.set(w.buf, w.pos, c[at + LO]);
        LONG_LE.set(w.buf, w.pos + 8, c[at + HI]);
        w.pos += n;
    }

    /** @return {@code n} (at most 8) bytes from {@code off}, little-endian, the rest zero */
    private static long bytesAt(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[off + i] & 0xFFL) << (i << 3);
        }
        return v;
    }

    /** The cache slot of a key (only keys of at most {@code MAX_CACHED_LENGTH} chars are cached). */
    static int slot(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 10) ^ (h >>> 20)) & (CACHE_SLOTS - 1);
    }

    private void join(int slot) {
        if (size < Limits.MAX_KEY_TABLE) {
            cached[slot * SLOT_LONGS + JOINED] = (long) generation << 32 | size++;
        }
    }

    private void writeUncached(BlazeWriter w, String key) {
        int index = overflow.get(key);
        if (index >= 0) {
            w.writeVarLong(((long) index << 1) | 1);
            return;
        }
        if (size < Limits.MAX_KEY_TABLE) {
            overflow.put(key, size++);
        }
        writeFull(w, key);
    }

    /**
     * Writes a new key: packed when every character is in {@link PackedKeys}' alphabet (the
     * canonical rule), else its UTF-8 bytes.
     */
    private static void writeFull(BlazeWriter w, String key) {
        int n = key.length();
        if (n <= Limits.MAX_STRING_BYTES && PackedKeys.packable(key)) {
            w.writeVarLong(((long) n << 2) | KEY_PACKED);
            w.ensure(PackedKeys.packedLength(n));
            w.pos = PackedKeys.pack(key, w.buf, w.pos);
            return;
        }
        int len = w.utf8Length(key, Limits.MAX_STRING_BYTES);
        w.writeVarLong(((long) len << 2) | KEY_UTF8);
        w.writeUtf8(key, len);
    }
}
