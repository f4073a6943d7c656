package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The keys that have followed one first key in the maps decoded so far ({@link DecoderKeys#sequenceAfter}):
 * cached keys in strictly ascending key order, each with its exact encoded form as it appears in
 * the input (header varint and packed or UTF-8 bytes, at most {@link #MAX_ENCODED_BYTES}), its
 * cache slot and its string.
 *
 * <p>Documents of one kind repeat their keys in the same order, so the decoder checks each next
 * key's input bytes against the entries after the last one matched ({@link #find}): one masked
 * 8-byte comparison per entry (a second one for the few encodings longer than 8 bytes) instead of
 * hashing the key and reading its cache slot. A match means the
 * input holds exactly that encoding, which the format makes canonical, so it is that key; the
 * entries are ascending and all sort after the first key, so a key matched after the first key or
 * after an earlier match is in order without comparing order keys. What a match does not answer,
 * whether the key is already in the tree's table, {@link DecoderKeys#joinMatched} still checks. A
 * key written as a one-byte back-reference matches the entry whose slot the table holds at that
 * index ({@link #find(int, int)}): the maps of a list repeat their keys that way.
 *
 * <p>An entry is valid while its cache slot holds the same key: the sequence remembers the
 * cache's {@link DecoderKeys#epoch() epoch}, which changes whenever any slot gets another key, and
 * is checked again ({@link #retainValid}) when it does. Immutable once built: a nested map with the
 * same first key replaces it rather than changing the one an outer map is reading.
 */
final class KeySequence {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Entries with longer encodings are not remembered: two 8-byte words hold the encoding. */
    static final int MAX_ENCODED_BYTES = 16;
    /**
     * At most this many keys are remembered after one first key; maps with more keys match a prefix.
     * With one sequence per cache slot, a thread's sequences hold at most about 2.8 MB (64 entries of
     * 40 bytes, 1,024 slots) whatever the input; documents of a few shapes need a few kilobytes.
     */
    static final int MAX_ENTRIES = 64;

    /** The first key these keys followed, by identity: a new string whenever its slot is refilled. */
    final String first;
    /** The {@link DecoderKeys#epoch() epoch} at which every entry's slot was known to hold its key. */
    final long epoch;
    final int size;
    /** Per entry: the first 8 encoded bytes, their mask, the next 8, their mask (little-endian). */
    private final long[] words;
    /** Per entry: its slot, and its encoded length &lt;&lt; 16 (both are read for every match). */
    private final int[] slotsAndLengths;
    private final String[] keys;

    KeySequence(String first, long epoch, int size, long[] words, int[] slotsAndLengths, String[] keys) {
        this.first = first;
        this.epoch = epoch;
        this.size = size;
        this.words = words;
        this.slotsAndLengths = slotsAndLengths;
        this.keys = keys;
    }

    /**
     * @param w0   the next 8 input bytes, little-endian (zeros past the end of the array)
     * @param in   the input
     * @param at   where those bytes start
     * @param from the first entry to try
     * @return the entry whose encoding the input starts with, or -1
     */
    int find(long w0, byte[] in, int at, int from) {
        long[] w = words;
        for (int t = from, n = size; t < n; t++) {
            int k = t << 2;
            if ((w0 & w[k + 1]) == w[k]) {
                // most keys are encoded in at most 8 bytes: their second mask is 0, and the input's
                // next 8 bytes are read only for the others
                long mask1 = w[k + 3];
                if (mask1 == 0 || (second8(in, at) & mask1) == w[k + 2]) {
                    return t;
                }
            }
        }
        return -1;
    }

    /** @return the 8 input bytes after the first 8 from {@code at}, little-endian, zeros past the end of the array */
    private static long second8(byte[] in, int at) {
        int left = in.length - at - 8;
        return left >= 8 ? (long) LONG_LE.get(in, at + 8) : left > 0 ? DecoderKeys.first8(in, at + 8, left) : 0;
    }

    /** @return the entry from {@code from} on whose key is in {@code slot}, or -1 */
    int find(int slot, int from) {
        int[] s = slotsAndLengths;
        for (int t = from, n = size; t < n; t++) {
            if ((s[t] & 0xFFFF) == slot) {
                return t;
            }
        }
        return -1;
    }

    int slot(int entry) {
        return slotsAndLengths[entry] & 0xFFFF;
    }

    /** @return the entry's encoded length in bytes, header included */
    int length(int entry) {
        return slotsAndLengths[entry] >>> 16;
    }

    String key(int entry) {
        return keys[entry];
    }

    /** Copies the entry's four words to {@code dst[at..at+4)}. */
    void copyWords(int entry, long[] dst, int at) {
        System.arraycopy(words, entry << 2, dst, at, 4);
    }

    /**
     * @param slotKeys the cache's strings by slot
     * @param epoch    the cache's epoch now
     * @return this sequence without the entries whose slot now holds another key (the order is kept)
     */
    KeySequence retainValid(String[] slotKeys, long epoch) {
        KeySequenceBuilder b = new KeySequenceBuilder(first, size);
        for (int t = 0; t < size; t++) {
            if (slotKeys[slot(t)] == keys[t]) {
                b.add(this, t);
            }
        }
        return b.build(epoch);
    }
}
