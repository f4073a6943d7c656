package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The decoder's side of the key table ({@code docs/format.md}, "Map entries"): the keys of the
 * value tree being read, by back-reference index, with their UTF-8 bytes (the key order check
 * compares bytes); and the check that a key written in full is not already in the table.
 *
 * <p>Keys arrive packed (6 bits per character) or as UTF-8; either way their UTF-8 bytes are put in
 * {@link #bytes}, a scratch array of this tree ({@link #reserve}), and looked up from there: so a
 * packed and a UTF-8 key are cached, compared and checked alike. The array grows with the keys
 * written in full in one tree, at most 4/3 of the input's size (a packed key's bytes expand by
 * 8/6), and only after their lengths were checked against the bytes remaining.
 *
 * <p>Documents repeat the same field names, so the key strings are also kept across value trees in
 * a small direct-mapped cache indexed by a hash of their UTF-8 bytes: a key seen before is
 * neither decoded nor hashed as a string again, and the decoded maps share one string per name.
 * Each cache slot remembers the value tree (generation) in which its key last joined the table,
 * which answers "already in the table?" for that key without a second lookup. A slot is never
 * taken over by another key within the same tree; a key whose slot is held that way goes to an
 * ordinary {@link KeyTable}, the overflow. Hence a key of the current tree is either in its own
 * slot with the current generation or in the overflow, and the membership check looks in exactly
 * those two places.
 *
 * <p>One instance per thread ({@link #forThisThread()}); not thread-safe.
 */
final class DecoderKeys {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<DecoderKeys> PER_THREAD = ThreadLocal.withInitial(DecoderKeys::new);
    private static final int CACHE_SLOTS = 1024;
    /** Longer keys are decoded each time: rare, and they would pin more memory in the cache. */
    private static final int MAX_CACHED_LENGTH = 32;
    /** A larger key scratch array is dropped at the start of the next tree. */
    private static final int SCRATCH_KEPT = 1 << 16;
    /** {@link #add} returns this when the key is already in the table. */
    static final int REPEATED = -1;
    /** {@link #add} returns this when the bytes are not well-formed UTF-8. */
    static final int INVALID_UTF8 = -2;
    /** {@link #add} returns this for a new key that did not join the full table ({@link #lastKey()} has it). */
    static final int NOT_ADDED = -3;

    private String[] keys = new String[32];
    private int[] offsets = new int[32];
    private int[] lengths = new int[32];
    private int size;
    /** UTF-8 bytes of the keys written in full in this tree, at {@link #offset}/{@link #length}. */
    byte[] bytes = new byte[256];
    private int bytesEnd;
    /** Where the last key given to {@link #add} is in {@link #bytes}. */
    private int lastOffset;
    private int lastLength;

    private final long[] cachedLo = new long[CACHE_SLOTS];
    private final long[] cachedHi = new long[CACHE_SLOTS];
    private final int[] cachedLength = new int[CACHE_SLOTS];
    /** The bytes of cached keys longer than 16 bytes, whose ends {@code cachedLo/Hi} do not hold. */
    private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
    private final String[] cachedKeys = new String[CACHE_SLOTS];
    private final int[] cachedGeneration = new int[CACHE_SLOTS];
    private int generation = 1;
    private final KeyTable overflow = new KeyTable();
    private String lastKey;

    static DecoderKeys forThisThread() {
        return PER_THREAD.get();
    }

    /** Starts a new value tree with an empty table. */
    void clear() {
        size = 0;
        bytesEnd = 0;
        if (bytes.length > SCRATCH_KEPT) {
            bytes = new byte[256]; // one huge document must not pin its key bytes for the thread's life
        }
        if (++generation == 0) {
            Arrays.fill(cachedGeneration, 0);
            generation = 1;
        }
        if (overflow.size() > 0) {
            overflow.clear();
        }
    }

    int size() {
        return size;
    }

    String get(int index) {
        return keys[index];
    }

    int offset(int index) {
        return offsets[index];
    }

    int length(int index) {
        return lengths[index];
    }

    /** @return the key string of the last {@link #add} that returned an index or {@link #NOT_ADDED} */
    String lastKey() {
        return lastKey;
    }

    /** @return where in {@link #bytes} the key of the last {@link #add} is */
    int lastOffset() {
        return lastOffset;
    }

    /** @return the byte length of the key of the last {@link #add} */
    int lastLength() {
        return lastLength;
    }

    /**
     * Makes room for a key of {@code len} bytes, checked by the caller against the input remaining.
     *
     * @return the offset in {@link #bytes} to write it at, then to pass to {@link #add}
     */
    int reserve(int len) {
        int off = bytesEnd;
        if (bytes.length - off < len) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * bytes.length, (long) off + len)));
        }
        bytesEnd = off + len;
        return off;
    }

    /**
     * A key written in full, its UTF-8 bytes at {@code bytes[off..off+len)} ({@link #reserve}): joins
     * the table if there is room.
     *
     * @return its new index, {@link #NOT_ADDED} (table full), {@link #REPEATED} or {@link #INVALID_UTF8}
     */
    int add(int off, int len) {
        byte[] buf = bytes;
        lastOffset = off;
        lastLength = len;
        if (len > MAX_CACHED_LENGTH) {
            return addUncached(buf, off, len);
        }
        // the first 16 bytes as two numbers: a key of up to 16 bytes (most) is compared and hashed
        // without following a pointer to its cached bytes
        long lo = first8(buf, off, len);
        long hi = len > 8 ? first8(buf, off + 8, len - 8) : 0;
        int slot = slot(lo, hi, len);
        String cachedKey = cachedKeys[slot];
        if (cachedKey != null && cachedLength[slot] == len && cachedLo[slot] == lo && cachedHi[slot] == hi
                && (len <= 16 || sameBytes(cachedBytes[slot], buf, off, len))) {
            if (cachedGeneration[slot] == generation) {
                return REPEATED;
            }
            lastKey = cachedKey;
            return join(slot, off, len);
        }
        if (cachedKey != null && cachedGeneration[slot] == generation) {
            return addUncached(buf, off, len); // the slot belongs to another key of this tree
        }
        String key = Utf8.decode(buf, off, len);
        if (key == null) {
            return INVALID_UTF8;
        }
        cachedKeys[slot] = key;
        cachedLength[slot] = len;
        cachedLo[slot] = lo;
        cachedHi[slot] = hi;
        cachedBytes[slot] = len > 16 ? Arrays.copyOfRange(buf, off, off + len) : null;
        cachedGeneration[slot] = 0;
        lastKey = key;
        return join(slot, off, len);
    }

    /** @return up to 8 bytes from {@code off} (fewer if {@code len < 8}, the rest zero), little-endian */
    private static long first8(byte[] b, int off, int len) {
        if (b.length - off >= 8) {
            long v = (long) LONG_LE.get(b, off);
            return len >= 8 ? v : v & ((1L << (len << 3)) - 1);
        }
        long v = 0;
        for (int i = 0, n = Math.min(len, 8); i < n; i++) {
            v |= (b[off + i] & 0xFFL) << (i << 3);
        }
        return v;
    }

    /** The cache slot of a key of at most {@code MAX_CACHED_LENGTH} bytes. */
    static int slot(byte[] b, int off, int len) {
        return slot(first8(b, off, len), len > 8 ? first8(b, off + 8, len - 8) : 0, len);
    }

    /**
     * Hashes the first 16 bytes and the length: field names differ there, and a collision costs
     * only a trip to the overflow table, never a wrong answer.
     */
    private static int slot(long lo, long hi, int len) {
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ len;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54) & (CACHE_SLOTS - 1);
    }

    private static boolean sameBytes(byte[] cached, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (cached[i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    private int join(int slot, int off, int len) {
        if (size >= Limits.MAX_KEY_TABLE) {
            return NOT_ADDED;
        }
        cachedGeneration[slot] = generation;
        return append(lastKey, off, len);
    }

    private int addUncached(byte[] buf, int off, int len) {
        String key = Utf8.decode(buf, off, len);
        if (key == null) {
            return INVALID_UTF8;
        }
        lastKey = key;
        if (overflow.get(key) >= 0) {
            return REPEATED;
        }
        if (size >= Limits.MAX_KEY_TABLE) {
            return NOT_ADDED;
        }
        overflow.put(key, size);
        return append(key, off, len);
    }

    private int append(String key, int off, int len) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        keys[size] = key;
        offsets[size] = off;
        lengths[size] = len;
        return size++;
    }
}
