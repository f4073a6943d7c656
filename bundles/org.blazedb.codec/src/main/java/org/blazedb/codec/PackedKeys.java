package org.blazedb.codec;

import java.util.Arrays;

/**
 * The packed form of map keys ({@code docs/format.md}, "Map entries"): a key made only of the 64
 * identifier characters {@code - 0-9 A-Z _ a-z} (camelCase, snake_case and kebab-case field names)
 * is written at 6 bits per character instead of 8.
 *
 * <p>Character codes follow ASCII order ({@code -} 0, {@code 0..9} 1..10, {@code A..Z} 11..36,
 * {@code _} 37, {@code a..z} 38..63). The codes of a key of {@code n} characters are written as one
 * bit string, most significant bit first, in {@code (6n + 7) / 8} bytes; the bits after the last
 * code are zero.
 */
final class PackedKeys {
    /** ASCII byte → its 6-bit code, or -1 if the byte is not in the alphabet. */
    private static final byte[] CODE = new byte[256];
    /** 6-bit code → its ASCII byte. */
    private static final byte[] CHAR = new byte[64];

    static {
        Arrays.fill(CODE, (byte) -1);
        String alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        for (int code = 0; code < 64; code++) {
            char c = alphabet.charAt(code);
            CODE[c] = (byte) code;
            CHAR[code] = (byte) c;
        }
    }

    private PackedKeys() {
    }

    /** @return the bytes that {@code chars} characters take packed */
    static int packedLength(int chars) {
        return (int) ((6L * chars + 7) >>> 3);
    }

    /** @return whether every char of {@code s} is in the alphabet (then the key must be packed) */
    static boolean packable(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || CODE[c] < 0) {
                return false;
            }
        }
        return true;
    }

    /** @return whether every byte of {@code b[off..off+len)} is in the alphabet */
    static boolean packable(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (CODE[b[off + i] & 0xFF] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Packs {@code s}, which is {@link #packable}, into {@code dst} from {@code at}; returns the end. */
    static int pack(String s, byte[] dst, int at) {
        int n = s.length();
        long bits = 0;
        int held = 0;
        int p = at;
        for (int i = 0; i < n; i++) {
            bits = (bits << 6) | CODE[s.charAt(i)];
            held += 6;
            if (held >= 8) {
                held -= 8;
                dst[p++] = (byte) (bits >>> held);
            }
        }
        if (held > 0) {
            dst[p++] = (byte) (bits << (8 - held));
        }
        return p;
    }

    /**
     * Unpacks {@code chars} characters from {@code src[off..)} ({@link #packedLength} bytes, which the
     * caller has checked are there) into {@code dst} from {@code at} as ASCII.
     *
     * @return false if the bits after the last code are not zero (a non-canonical packing)
     */
    static boolean unpack(byte[] src, int off, int chars, byte[] dst, int at) {
        long bits = 0;
        int held = 0;
        int p = off;
        for (int i = 0; i < chars; i++) {
            if (held < 6) {
                bits = (bits << 8) | (src[p++] & 0xFF);
                held += 8;
            }
            held -= 6;
            dst[at + i] = CHAR[(int) (bits >>> held) & 63];
        }
        return (bits & ((1L << held) - 1)) == 0;
    }
}
