package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.Value;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The id order is code point order, and the page search agrees with it for every kind of id; ids
 * read back as written, and a damaged id on disk is CORRUPT_DATA, never a JVM exception or another id.
 */
class IdKeyTypeTest {
    /** Characters from the places where UTF-16 and code point order part: below, in and above the surrogates. */
    private static final int[] CODE_POINTS = {'a', 'b', 'z', 0x7F, 0xE9, 0x4E2D, 0xD7FF, 0xE000, 0xFB01, 0xFFFD, 0x1F600, 0x10437, 0x10FFFF};

    private static String randomId(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(CODE_POINTS[r.nextInt(CODE_POINTS.length)]);
        }
        return b.toString();
    }

    @Test
    void compareIsCodePointOrder() {
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String a = randomId(r);
            String b = randomId(r);
            assertEquals(Integer.signum(Value.KEY_ORDER.compare(a, b)), Integer.signum(IdKeyType.INSTANCE.compare(a, b)), a + " vs " + b);
        }
    }

    @Test
    void theSearchFindsEveryIdAndTheInsertionPointOfEveryOther() {
        Random r = new Random(5);
        for (int round = 0; round < 500; round++) {
            String[] drawn = new String[1 + r.nextInt(60)];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = randomId(r);
            }
            String[] keys = Arrays.stream(drawn).distinct().sorted(Value.KEY_ORDER).toArray(String[]::new);
            for (int probe = 0; probe < 40; probe++) {
                String key = probe % 2 == 0 ? keys[r.nextInt(keys.length)] : randomId(r);
                int expected = Arrays.binarySearch(keys, key, Value.KEY_ORDER);
                int guess = r.nextInt(keys.length + 2);
                int found = IdKeyType.INSTANCE.binarySearch(key, keys, keys.length, guess);
                assertEquals(expected, found, () -> key + " in " + Arrays.toString(keys));
            }
        }
    }

    @Test
    void everyKindOfIdReadsBackAsWritten() {
        Random r = new Random(13);
        for (int i = 0; i < 2_000; i++) {
            String id = randomId(r);
            WriteBuffer w = new WriteBuffer();
            IdKeyType.INSTANCE.write(w, id);
            ByteBuffer b = w.getBuffer().flip();
            assertEquals(id, IdKeyType.INSTANCE.read(b));
            assertEquals(0, b.remaining());
        }
    }

    /** @param page bytes as a page holds them: MVStore varint length, then UTF-8 */
    private static void assertCorrupt(String expectedInMessage, int... page) {
        byte[] bytes = new byte[page.length];
        for (int i = 0; i < page.length; i++) {
            bytes[i] = (byte) page[i];
        }
        BlazeException e = assertThrows(BlazeException.class, () -> IdKeyType.INSTANCE.read(ByteBuffer.wrap(bytes)));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aLengthOf2To32Minus1IsCorruptData() {
        assertCorrupt("document id length 4294967295 exceeds", 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 'a');
    }

    @Test
    void aLengthPastTheEndOfThePageIsCorruptData() {
        assertCorrupt("document id length 2147483647 exceeds the 1 bytes", 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 'a');
    }

    @Test
    void aLengthCutOffByTheEndOfThePageIsCorruptData() {
        assertCorrupt("cut off", 0x80);
    }

    @Test
    void anIdThatIsNotWellFormedUtf8IsCorruptData() {
        assertCorrupt("not well-formed UTF-8", 2, 'a', 0xC3); // a lead byte without its continuation
        assertCorrupt("not well-formed UTF-8", 3, 0xED, 0xA0, 0x80); // an encoded surrogate
    }
}
