package org.blazedb.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/** Strict UTF-8: encoding refuses unpaired surrogates, decoding refuses malformed sequences. */
final class Utf8 {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /**
     * @param s a string
     * @return its length in UTF-8 bytes
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) on an unpaired surrogate, which UTF-8
     *                        cannot represent (the JDK would silently write '?')
     */
    static long encodedLength(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        long len = i;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (!Character.isSurrogate(c)) {
                len += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else {
                throw new BlazeException(ErrorCode.INVALID_VALUE,
                        "A string holds an unpaired surrogate at char " + i + "; it cannot be stored as UTF-8");
            }
        }
        return len;
    }

    /** Writes {@code s}, already checked by {@link #encodedLength}, at {@code pos}; returns the new position. */
    static int encode(String s, byte[] buf, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | c >> 6);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                buf[pos++] = (byte) (0xE0 | c >> 12);
                buf[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | c & 0x3F);
            } else {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | cp >> 18);
                buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp & 0x3F);
            }
        }
        return pos;
    }

    /**
     * Decodes bytes the caller has checked are in the array, as {@link #decode} does, with a quicker
     * path for ASCII (most strings in documents): the JDK's constructor that takes a charset is too
     * large for the JIT to inline into the decoder and looks the charset up for every string,
     * while a string of ASCII bytes, checked eight at a time here, is exactly the Latin-1 string
     * the JDK would build, and the byte-per-char constructor makes it with one array copy.
     *
     * @return the string, or null if the bytes are not well-formed UTF-8
     */
    @SuppressWarnings("deprecation") // String(byte[], int hibyte, ...): for ASCII bytes it is exact and cheapest
    static String decodeValue(byte[] buf, int off, int len) {
        return isAscii(buf, off, len) ? new String(buf, 0, off, len) : decode(buf, off, len);
    }

    /** @return whether the {@code len} bytes from {@code off}, which are in the array, are all below 0x80 */
    static boolean isAscii(byte[] buf, int off, int len) {
        // short strings (most) without a loop, whose trip count varies from string to string
        if (len <= 16) {
            if (len >= 8) {
                // the first and the last eight bytes, which overlap when len is below 16
                return (((long) LONG_LE.get(buf, off) | (long) LONG_LE.get(buf, off + len - 8)) & HIGH_BITS) == 0;
            }
            if (buf.length - off >= 8) {
                // eight bytes are in the array: the ones after the string are masked off
                return ((long) LONG_LE.get(buf, off) & HIGH_BITS & ((1L << (len << 3)) - 1)) == 0;
            }
        } else {
            long any = 0;
            int last = off + len - 8;
            for (int p = off; p < last; p += 8) {
                any |= (long) LONG_LE.get(buf, p);
            }
            // the last eight bytes, overlapping the loop's last word when len is not a multiple of 8
            return ((any | (long) LONG_LE.get(buf, last)) & HIGH_BITS) == 0;
        }
        int any = 0;
        for (int p = off, end = off + len; p < end; p++) {
            any |= buf[p];
        }
        return any >= 0;
    }

    /**
     * @return the string, or null if the bytes are not well-formed UTF-8. The JDK decoder is fast
     *         and replaces malformed input with U+FFFD; only when that character shows up do we pay
     *         for a strict decode to tell a real U+FFFD from a replacement.
     */
    static String decode(byte[] buf, int off, int len) {
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
