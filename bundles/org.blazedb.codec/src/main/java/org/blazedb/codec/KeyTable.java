package org.blazedb.codec;

import java.util.Arrays;

/**
 * A small map from key strings to an int (a key table index), for the keys that the encoder's and
 * decoder's per-thread key caches ({@link EncoderKeys}, {@link DecoderKeys}) cannot hold. An
 * open-addressing table cleared slot by slot: a {@code HashMap} cleared and refilled for every
 * document cost more than the rest of encoding a small one. Not thread-safe.
 */
final class KeyTable {
    private String[] keys = new String[16];
    private int[] values = new int[16];
    /** The slot each key is in, so that clearing touches only those. */
    private int[] slotOfKey = new int[16];
    /** Slot → 1 + the index in {@link #keys} of the key there, 0 for an empty slot. */
    private int[] slots = new int[32];
    private int size;

    int size() {
        return size;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            slots[slotOfKey[i]] = 0;
            keys[i] = null;
        }
        size = 0;
    }

    /** @return the int stored with {@code key}, or -1 if it is not in the table */
    int get(String key) {
        int mask = slots.length - 1;
        for (int slot = spread(key.hashCode()) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            String s = keys[slots[slot] - 1];
            if (s == key || s.equals(key)) {
                return values[slots[slot] - 1];
            }
        }
        return -1;
    }

    /** Adds {@code key}, which is not in the table, with {@code value}. */
    void put(String key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
            slotOfKey = Arrays.copyOf(slotOfKey, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
        if (size * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int i = 0; i < size; i++) {
                insert(i);
            }
        } else {
            insert(size - 1);
        }
    }

    private void insert(int i) {
        int mask = slots.length - 1;
        int slot = spread(keys[i].hashCode()) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = i + 1;
        slotOfKey[i] = slot;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B1;
    }
}
