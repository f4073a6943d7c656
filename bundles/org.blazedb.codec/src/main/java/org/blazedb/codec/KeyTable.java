package org.blazedb.codec;

import java.util.Arrays;

/**
 * The map keys of one value tree, numbered in order of first appearance ({@code docs/format.md},
 * "Map entries"), with a lookup by content. An open-addressing table cleared slot by slot: a
 * {@code HashMap} cleared and refilled for every document cost more than the rest of encoding a
 * small one. Holds at most {@link Limits#MAX_KEY_TABLE} keys. Not thread-safe.
 */
final class KeyTable {
    private String[] keys = new String[32];
    private String[] slots = new String[64];
    private int[] slotIndex = new int[64];
    private int[] usedSlots = new int[32];
    private int size;

    int size() {
        return size;
    }

    String get(int index) {
        return keys[index];
    }

    /** @return whether {@code key} is in the table */
    boolean contains(String key) {
        int mask = slots.length - 1;
        int slot = spread(key.hashCode()) & mask;
        for (String s = slots[slot]; s != null; s = slots[slot]) {
            if (s == key || s.equals(key)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            slots[usedSlots[i]] = null;
            keys[i] = null;
        }
        size = 0;
    }

    /** @return the index of {@code key}, or -1 after adding it (when there is room) as the next index */
    int indexOrAdd(String key) {
        int mask = slots.length - 1;
        int slot = spread(key.hashCode()) & mask;
        for (String s = slots[slot]; s != null; s = slots[slot]) {
            if (s == key || s.equals(key)) {
                return slotIndex[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (size < Limits.MAX_KEY_TABLE) {
            add(key, slot);
        }
        return -1;
    }

    private void add(String key, int slot) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            usedSlots = Arrays.copyOf(usedSlots, size * 2);
        }
        slots[slot] = key;
        slotIndex[slot] = size;
        usedSlots[size] = slot;
        keys[size++] = key;
        if (size * 2 > slots.length) {
            rehash();
        }
    }

    private void rehash() {
        slots = new String[slots.length * 2];
        slotIndex = new int[slots.length];
        int mask = slots.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = spread(keys[i].hashCode()) & mask;
            while (slots[slot] != null) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = keys[i];
            slotIndex[slot] = i;
            usedSlots[i] = slot;
        }
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B1;
    }
}
