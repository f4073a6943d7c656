package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The decoder's side of the key table ({@code docs/format.md}, "Map entries"): the keys of the
 * value tree being read, by back-reference index, each with its order key (below); and the check
 * that a key written in full is not already in the table.
 *
 * <p>Documents repeat the same field names, so keys are also kept across value trees in a small
 * direct-mapped cache indexed by a hash of their <em>encoded</em> bytes (packed or UTF-8, with the
 * form and character count): a key seen before is neither unpacked, nor validated, nor decoded
 * again, and the decoded maps share one string per name. A key's encoding is canonical (one form
 * per key, checked when it is first decoded), so equal encoded bytes mean the same key. A bit per
 * cache slot says whether its key has joined the table of the current value tree, which answers
 * "already in the table?" without a second lookup. A slot is never taken over by another key
 * within the same tree; a key whose slot is held that way, or that is long, goes to an ordinary
 * {@link KeyTable}, the overflow. Hence a key of the current tree is either in its own slot with
 * its bit set or in the overflow, and the membership check looks in exactly those two places.
 *
 * <p>Maps of one kind repeat their keys in the same order: per first key of a map, the keys that
 * followed it are remembered as a {@link KeySequence}, against which the decoder checks the next
 * keys' encoded bytes without hashing them or reading their slots ({@link #sequenceAfter},
 * {@link #joinMatched}, {@link #learn}, {@link #remember}). Whenever a slot gets another key the
 * cache's {@link #epoch} changes, and a sequence is checked again before it is used.
 *
 * <p>Every key the decoder hands out lives in a <b>slot</b>: its cache slot, or for a key the
 * cache cannot hold, a slot after the cache's used by the current tree only. The table of the
 * current tree is a list of slots, so a back-reference and a key looked up in full both give a
 * slot, where the key's string and order key are read.
 *
 * <p>The <b>order key</b> of a key is its UTF-8 bytes, which compare as code points do
 * ({@code Value.KEY_ORDER}): the first 16 as two big-endian numbers, its byte length, and all its
 * bytes if it is longer than 16. Two keys of up to 16 bytes (nearly all) compare with two unsigned
 * comparisons of numbers ({@link #compare}).
 *
 * <p>One instance per thread ({@link #forThisThread()}); not thread-safe.
 */
final class DecoderKeys {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final ThreadLocal<DecoderKeys> PER_THREAD = ThreadLocal.withInitial(DecoderKeys::new);
    private static final int CACHE_SLOTS = 1024;
    /** The slot of an uncached key that did not join the full table: it is needed only until the next key. */
    private static final int SCRATCH_SLOT = CACHE_SLOTS;
    /** Slots from here on hold the uncached keys that joined the current tree's table. */
    private static final int FIRST_TREE_SLOT = CACHE_SLOTS + 1;
    /** Slots for uncached keys kept from one tree to the next. */
    private static final int TREE_SLOTS_KEPT = 64;
    /** Keys of more encoded bytes are decoded each time: rare, and they would pin more memory in the cache. */
    private static final int MAX_CACHED_BYTES = 32;
    /** A larger unpacking buffer is not kept for the next key. */
    private static final int SCRATCH_KEPT = 4096;
    /** {@link #add} returns this when the key is already in the table. */
    static final int REPEATED = -1;
    /** {@link #add} returns this when a UTF-8 key's bytes are not well-formed UTF-8. */
    static final int INVALID_UTF8 = -2;
    /** {@link #add} returns this for a key written in UTF-8 that has a packed form. */
    static final int SHOULD_BE_PACKED = -4;
    /** {@link #add} returns this for a packed key whose padding bits are not zero. */
    static final int BAD_PADDING = -5;

    // Per slot, what a lookup reads is kept together, in SLOT_LONGS numbers (one cache line)
    // rather than in one array per field (one cache miss per field):
    private static final int SLOT_LONGS = 8;
    /** The order key: its first 16 bytes as two big-endian numbers, and its length in bytes. */
    private static final int ORDER0 = 0;
    private static final int ORDER1 = 1;
    private static final int ORDER_LENGTH = 2;
    /** The first 16 encoded bytes, little-endian (cache slots only). */
    private static final int LO = 3;
    private static final int HI = 4;
    /** (characters or bytes &lt;&lt; 1) | 1 if packed: packed keys of n and n + 1 characters can share bytes. */
    private static final int FORM = 5;
    private long[] slots = new long[(FIRST_TREE_SLOT + TREE_SLOTS_KEPT) * SLOT_LONGS];
    private String[] slotKeys = new String[FIRST_TREE_SLOT + TREE_SLOTS_KEPT];
    /** The order keys (UTF-8) of keys longer than 16 bytes, which ORDER0 and ORDER1 do not hold. */
    private byte[][] slotOrderBytes = new byte[FIRST_TREE_SLOT + TREE_SLOTS_KEPT][];
    /** The encoded bytes of cached keys longer than 16 bytes, whose ends LO and HI do not hold. */
    private final byte[][] cachedEncoded = new byte[CACHE_SLOTS][];
    private int treeSlots;

    // the table of the current tree: index → slot
    private int[] table = new int[32];
    private int size;
    /**
     * The cache slots whose keys are in the current tree's table, one bit each: two cache lines,
     * so a key matched in a {@link KeySequence} joins the table without reading its slot's line.
     */
    private final long[] inTree = new long[CACHE_SLOTS / 64];
    private final KeyTable overflow = new KeyTable();

    /** Changes whenever a cache slot gets another key: {@link KeySequence} entries are checked again then. */
    private long epoch; // a long: it never wraps round to a value a stale sequence remembers
    /** By the cache slot of a map's first key: the keys that followed it ({@link #sequenceAfter}). */
    private final KeySequence[] sequences = new KeySequence[CACHE_SLOTS];
    /**
     * Keys of the maps being read that a {@link KeySequence} should learn, as a stack (maps nest):
     * per key its input offset, encoded length and slot.
     */
    private int[] pending = new int[3 * 16];
    private int pendingTop;

    // the key being decoded by decode()
    private String newKey;
    private long newOrder0;
    private long newOrder1;
    private int newLength;
    private byte[] newBytes;
    private byte[] scratch = new byte[64];

    private DecoderKeys() {
        for (int at = FORM; at < CACHE_SLOTS * SLOT_LONGS; at += SLOT_LONGS) {
            slots[at] = -1; // no key has this form: an empty slot matches nothing
        }
    }

    static DecoderKeys forThisThread() {
        return PER_THREAD.get();
    }

    /** Starts a new value tree with an empty table. */
    void clear() {
        size = 0;
        Arrays.fill(inTree, 0L);
        pendingTop = 0;
        if (overflow.size() > 0) {
            overflow.clear();
            // the uncached keys of the last tree must not stay reachable from here
            int end = FIRST_TREE_SLOT + treeSlots;
            Arrays.fill(slotKeys, SCRATCH_SLOT, end, null);
            Arrays.fill(slotOrderBytes, SCRATCH_SLOT, end, null);
            treeSlots = 0;
            if (slotKeys.length > FIRST_TREE_SLOT + TREE_SLOTS_KEPT) {
                // a tree with many uncached keys must not leave large arrays behind
                slots = Arrays.copyOf(slots, (FIRST_TREE_SLOT + TREE_SLOTS_KEPT) * SLOT_LONGS);
                slotKeys = Arrays.copyOf(slotKeys, FIRST_TREE_SLOT + TREE_SLOTS_KEPT);
                slotOrderBytes = Arrays.copyOf(slotOrderBytes, FIRST_TREE_SLOT + TREE_SLOTS_KEPT);
            }
        }
    }

    int size() {
        return size;
    }

    /** @return the key for which {@link #add} last returned {@link #REPEATED} */
    String repeatedKey() {
        return newKey;
    }

    /** @param index an index below {@link #size()} @return the slot of the key there */
    int slotAt(int index) {
        return table[index];
    }

    /** @param slot a slot from {@link #add} or {@link #slotAt} @return its key */
    String key(int slot) {
        return slotKeys[slot];
    }

    long order0(int slot) {
        return slots[slot * SLOT_LONGS + ORDER0];
    }

    long order1(int slot) {
        return slots[slot * SLOT_LONGS + ORDER1];
    }

    int orderLength(int slot) {
        return (int) slots[slot * SLOT_LONGS + ORDER_LENGTH];
    }

    /** @return the order key's bytes if it is longer than 16, else null */
    byte[] orderBytes(int slot) {
        return slotOrderBytes[slot];
    }

    /**
     * Compares two order keys (the parts {@link #order0}, {@link #order1}, {@link #orderLength},
     * {@link #orderBytes} give): negative, zero or positive as the first key is before, the same as
     * or after the second in code point order.
     */
    static int compare(long a0, long a1, int al, byte[] ab, long b0, long b1, int bl, byte[] bb) {
        if (a0 != b0) {
            return Long.compareUnsigned(a0, b0);
        }
        if (a1 != b1) {
            return Long.compareUnsigned(a1, b1);
        }
        if (al <= 16 || bl <= 16) {
            // the first 16 bytes (zero-padded) are equal, so the shorter key is a prefix of the other
            return al - bl;
        }
        return Arrays.compareUnsigned(ab, 16, al, bb, 16, bl);
    }

    /**
     * A key written in full at {@code in[off..off+encodedLength)}, which the caller has checked are
     * there: {@code n} packed characters, or {@code n} bytes of UTF-8. Joins the table if there is
     * room (a key beyond a full table is written in full each time, and is valid until the next key).
     *
     * @return its slot, or an error: {@link #REPEATED}, {@link #INVALID_UTF8},
     *         {@link #SHOULD_BE_PACKED}, {@link #BAD_PADDING}
     */
    int add(byte[] in, int off, int encodedLength, int n, boolean packed) {
        if (encodedLength > MAX_CACHED_BYTES) {
            return addUncached(in, off, n, packed);
        }
        int form = (n << 1) | (packed ? 1 : 0);
        // the first 16 bytes as two numbers: a key of up to 16 encoded bytes (most) is compared and
        // hashed without following a pointer to its cached bytes
        long lo = first8(in, off, encodedLength);
        long hi = encodedLength > 8 ? first8(in, off + 8, encodedLength - 8) : 0;
        int slot = slot(lo, hi, form);
        long[] c = slots;
        int at = slot * SLOT_LONGS;
        if (c[at + FORM] == form && c[at + LO] == lo && c[at + HI] == hi
                && (encodedLength <= 16 || Arrays.equals(cachedEncoded[slot], 0, encodedLength, in, off, off + encodedLength))) {
            if (inTree(slot)) {
                newKey = slotKeys[slot];
                return REPEATED;
            }
            join(slot);
            return slot;
        }
        if (inTree(slot)) {
            return addUncached(in, off, n, packed); // the slot belongs to another key of this tree
        }
        int decoded = decode(in, off, n, packed);
        if (decoded < 0) {
            return decoded;
        }
        store(slot);
        c[at + FORM] = form;
        c[at + LO] = lo;
        c[at + HI] = hi;
        cachedEncoded[slot] = encodedLength > 16 ? Arrays.copyOfRange(in, off, off + encodedLength) : null;
        epoch++; // the slot's old key, if any, is gone: sequences that name this slot must be checked
        join(slot);
        return slot;
    }

    /** Writes the key {@link #decode} left in the {@code new*} fields into a slot. */
    private void store(int slot) {
        int at = slot * SLOT_LONGS;
        slots[at + ORDER0] = newOrder0;
        slots[at + ORDER1] = newOrder1;
        slots[at + ORDER_LENGTH] = newLength;
        slotKeys[slot] = newKey;
        slotOrderBytes[slot] = newBytes;
    }

    /**
     * Checks and decodes a key into the {@code new*} fields.
     *
     * @return 0, or {@link #INVALID_UTF8}, {@link #SHOULD_BE_PACKED}, {@link #BAD_PADDING}
     */
    private int decode(byte[] in, int off, int n, boolean packed) {
        byte[] utf8;
        int at;
        if (packed) {
            utf8 = n <= scratch.length ? scratch : new byte[n];
            if (n > scratch.length && n <= SCRATCH_KEPT) {
                scratch = utf8;
            }
            at = 0;
            if (!PackedKeys.unpack(in, off, n, utf8, 0)) {
                return BAD_PADDING;
            }
            newKey = new String(utf8, 0, n, StandardCharsets.ISO_8859_1); // all ASCII
        } else {
            if (PackedKeys.packable(in, off, n)) {
                return SHOULD_BE_PACKED;
            }
            utf8 = in;
            at = off;
            newKey = Utf8.decode(in, off, n);
            if (newKey == null) {
                return INVALID_UTF8;
            }
        }
        newOrder0 = firstBigEndian(utf8, at, Math.min(n, 8));
        newOrder1 = n > 8 ? firstBigEndian(utf8, at + 8, Math.min(n - 8, 8)) : 0;
        newLength = n;
        newBytes = n > 16 ? Arrays.copyOfRange(utf8, at, at + n) : null;
        return 0;
    }

    /** @return up to 8 bytes from {@code off} as a big-endian number, zero-padded on the right */
    private static long firstBigEndian(byte[] b, int off, int len) {
        if (len == 8) {
            return (long) LONG_BE.get(b, off);
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            v |= (b[off + i] & 0xFFL) << (56 - (i << 3));
        }
        return v;
    }

    /** @return up to 8 bytes from {@code off} (fewer if {@code len < 8}, the rest zero), little-endian */
    static long first8(byte[] b, int off, int len) {
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

    /**
     * The cache slot of an encoded key of at most {@code MAX_CACHED_BYTES} bytes.
     *
     * @param form (n &lt;&lt; 1) | 1 if packed, as in {@link #add}
     */
    static int slot(byte[] b, int off, int len, int form) {
        return slot(first8(b, off, len), len > 8 ? first8(b, off + 8, len - 8) : 0, form);
    }

    /**
     * Hashes the first 16 encoded bytes and the form: field names differ there, and a collision
     * costs only a trip to the overflow table, never a wrong answer.
     */
    private static int slot(long lo, long hi, int form) {
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ form;
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54) & (CACHE_SLOTS - 1);
    }

    /** Adds a cached key's slot to the table, if there is room. */
    private void join(int slot) {
        if (size < Limits.MAX_KEY_TABLE) {
            inTree[slot >>> 6] |= 1L << slot;
            append(slot);
        }
    }

    private boolean inTree(int slot) {
        return (inTree[slot >>> 6] & (1L << slot)) != 0;
    }

    private int addUncached(byte[] in, int off, int n, boolean packed) {
        int decoded = decode(in, off, n, packed);
        if (decoded < 0) {
            return decoded;
        }
        if (overflow.get(newKey) >= 0) {
            return REPEATED;
        }
        if (size >= Limits.MAX_KEY_TABLE) {
            store(SCRATCH_SLOT);
            return SCRATCH_SLOT;
        }
        overflow.put(newKey, size);
        int slot = FIRST_TREE_SLOT + treeSlots++;
        if (slot == slotKeys.length) {
            int grown = slot * 2;
            slots = Arrays.copyOf(slots, grown * SLOT_LONGS);
            slotKeys = Arrays.copyOf(slotKeys, grown);
            slotOrderBytes = Arrays.copyOf(slotOrderBytes, grown);
        }
        store(slot);
        append(slot);
        return slot;
    }

    /** @return the cache's epoch, which changes whenever a cache slot gets another key */
    long epoch() {
        return epoch;
    }

    /**
     * @param firstSlot the slot of a map's first key
     * @param firstKey  that key
     * @return the keys that followed it in earlier maps, all valid now, or null
     */
    KeySequence sequenceAfter(int firstSlot, String firstKey) {
        if (firstSlot >= CACHE_SLOTS) {
            return null;
        }
        KeySequence s = sequences[firstSlot];
        if (s == null) {
            return null;
        }
        if (s.first != firstKey) {
            sequences[firstSlot] = null; // remembered for the key this slot held before
            return null;
        }
        if (s.epoch != epoch) {
            s = s.retainValid(slotKeys, epoch);
            sequences[firstSlot] = s;
        }
        return s;
    }

    /**
     * Adds a key that a {@link KeySequence} matched, valid at the current epoch, to the table,
     * unless it is already there. The caller has checked that the table is not full.
     *
     * @return false if the key is already in the table (written in full a second time)
     */
    boolean joinMatched(int slot) {
        long bit = 1L << slot;
        int word = slot >>> 6;
        long held = inTree[word];
        if ((held & bit) != 0) {
            newKey = slotKeys[slot];
            return false;
        }
        inTree[word] = held | bit;
        append(slot);
        return true;
    }

    /** @return where the current map's {@link #learn pending keys} start */
    int pendingMark() {
        return pendingTop;
    }

    /**
     * Notes a key written in full that the current map's sequence should learn: if it joined the
     * table in its cache slot and its encoding is short enough.
     *
     * @param at     where its encoding starts in the input
     * @param length its encoded length, header included
     * @param slot   its slot
     */
    void learn(int at, int length, int slot) {
        if (slot >= CACHE_SLOTS || length > KeySequence.MAX_ENCODED_BYTES || !inTree(slot)) {
            return; // uncached, long, or beyond a full table (then its slot may be taken over)
        }
        if (pendingTop + 3 > pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingTop] = at;
        pending[pendingTop + 1] = length;
        pending[pendingTop + 2] = slot;
        pendingTop += 3;
    }

    /**
     * Merges the keys noted since {@code mark} ({@link #learn}, ascending: the map's order was
     * checked) into the sequence remembered after the map's first key, and forgets them.
     *
     * @param firstSlot the slot of the map's first key
     * @param firstKey  that key
     * @param in        the input the noted offsets are in
     * @param mark      {@link #pendingMark} at the start of the map
     */
    void remember(int firstSlot, String firstKey, byte[] in, int mark) {
        int to = pendingTop;
        pendingTop = mark;
        if (firstSlot >= CACHE_SLOTS || slotKeys[firstSlot] != firstKey || !inTree(firstSlot)) {
            return; // the first key's slot may be taken over: nothing to file the keys under
        }
        KeySequence old = sequenceAfter(firstSlot, firstKey);
        int oldSize = old == null ? 0 : old.size;
        if (oldSize >= KeySequence.MAX_ENTRIES) {
            return; // full: maps with more keys match a prefix
        }
        KeySequenceBuilder b = new KeySequenceBuilder(firstKey, Math.min(oldSize + (to - mark) / 3, KeySequence.MAX_ENTRIES));
        int added = 0;
        int t = 0;
        int p = mark;
        while ((t < oldSize || p < to) && b.size() < KeySequence.MAX_ENTRIES) {
            int c;
            if (t == oldSize) {
                c = 1;
            } else if (p == to) {
                c = -1;
            } else {
                int a = old.slot(t);
                int n = pending[p + 2];
                c = a == n ? 0 : compare(order0(a), order1(a), orderLength(a), orderBytes(a),
                        order0(n), order1(n), orderLength(n), orderBytes(n));
            }
            if (c <= 0) {
                b.add(old, t);
                t++;
                if (c == 0) {
                    p += 3; // the same key
                }
            } else {
                b.add(in, pending[p], pending[p + 1], pending[p + 2], slotKeys[pending[p + 2]]);
                p += 3;
                added++;
            }
        }
        if (added > 0) {
            sequences[firstSlot] = b.build(epoch);
        }
    }

    private void append(int slot) {
        if (size == table.length) {
            table = Arrays.copyOf(table, size * 2);
        }
        table[size++] = slot;
    }
}
