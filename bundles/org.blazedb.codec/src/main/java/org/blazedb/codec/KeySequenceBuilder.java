package org.blazedb.codec;

import java.util.Arrays;

/** Collects the entries of a {@link KeySequence}, which the caller adds in ascending key order. */
final class KeySequenceBuilder {
    private final String first;
    private long[] words;
    private int[] slotsAndLengths;
    private String[] keys;
    private int size;

    KeySequenceBuilder(String first, int capacity) {
        this.first = first;
        int c = Math.max(capacity, 4);
        words = new long[c << 2];
        slotsAndLengths = new int[c];
        keys = new String[c];
    }

    int size() {
        return size;
    }

    /** Adds entry {@code t} of {@code s}. */
    void add(KeySequence s, int t) {
        room();
        s.copyWords(t, words, size << 2);
        put(s.slot(t), s.length(t), s.key(t));
    }

    /**
     * Adds an entry encoded as the {@code length} bytes at {@code in[off..)}, which are in the
     * array, {@code length} at most {@link KeySequence#MAX_ENCODED_BYTES}.
     */
    void add(byte[] in, int off, int length, int slot, String key) {
        room();
        int at = size << 2;
        int low = Math.min(length, 8);
        words[at] = DecoderKeys.first8(in, off, low);
        words[at + 1] = mask(low);
        if (length > 8) {
            words[at + 2] = DecoderKeys.first8(in, off + 8, length - 8);
            words[at + 3] = mask(length - 8);
        } else {
            words[at + 2] = 0;
            words[at + 3] = 0;
        }
        put(slot, length, key);
    }

    /** @return a mask of the low {@code bytes} bytes, 1 to 8 */
    private static long mask(int bytes) {
        return -1L >>> (64 - (bytes << 3));
    }

    private void room() {
        if (size == keys.length) {
            int c = size * 2;
            words = Arrays.copyOf(words, c << 2);
            slotsAndLengths = Arrays.copyOf(slotsAndLengths, c);
            keys = Arrays.copyOf(keys, c);
        }
    }

    private void put(int slot, int length, String key) {
        slotsAndLengths[size] = slot | length << 16; // a cache slot is below 2^16
        keys[size] = key;
        size++;
    }

    KeySequence build(long epoch) {
        return new KeySequence(first, epoch, size, words, slotsAndLengths, keys);
    }
}
