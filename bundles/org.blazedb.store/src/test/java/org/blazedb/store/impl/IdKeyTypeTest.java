package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** The id order is code point order, and the page search agrees with it for every kind of id. */
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
}
