package org.blazedb.codec;

import static org.blazedb.codec.KeyBytes.concat;
import static org.blazedb.codec.KeyBytes.fullKey;
import static org.blazedb.codec.KeyBytes.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/**
 * The per-thread key caches ({@link EncoderKeys}, {@link DecoderKeys}) must never change what is
 * written or accepted: keys whose cache slots collide, keys beyond {@link Limits#MAX_KEY_TABLE},
 * and caches warmed by earlier documents all give the one canonical encoding of the format.
 */
class KeyCacheTest {
    /** Two short keys, in key order, that share their encoder slot and (separately checked) their decoder slot. */
    private static String[] collidingPair(boolean encoder) {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String key = "k" + i;
            // the decoder hashes the encoded key (packed here: "k" and digits) and its form
            byte[] full = fullKey(key);
            int slot = encoder ? EncoderKeys.slot(key) : DecoderKeys.slot(full, 1, full.length - 1, key.length() << 1 | 1);
            String other = seen.putIfAbsent(slot, key);
            if (other != null) {
                return Value.KEY_ORDER.compare(other, key) < 0 ? new String[] {other, key} : new String[] {key, other};
            }
        }
    }

    @Test
    void keysSharingACacheSlotAreStillWrittenOnceAndThenByReference() {
        for (boolean encoderSlot : new boolean[] {true, false}) {
            String[] pair = collidingPair(encoderSlot);
            String a = pair[0];
            String b = pair[1];
            Value v = ListValue.of(map(a, Value.of(1), b, Value.of(2)), map(a, Value.of(3), b, Value.of(4)),
                    map(b, map(a, Value.of(5))));
            byte[] expected = concat(0x21, 0xC3, 0xD2, fullKey(a), 0x41, fullKey(b), 0x42,
                    0xD2, 0x01, 0x43, 0x03, 0x44, 0xD1, 0x03, 0xD1, 0x01, 0x45);
            // cold, then with either key left in the shared slot by an earlier document
            for (Value warmUp : List.of(MapValue.EMPTY, map(a, Value.of(0)), map(b, Value.of(0)))) {
                BlazeBinary.encodeValue(warmUp);
                BlazeBinary.decodeValue(BlazeBinary.encodeValue(warmUp));
                assertArrayEquals(expected, BlazeBinary.encodeValue(v), a + " / " + b);
                assertEquals(v, BlazeBinary.decodeValue(expected));
            }
        }
    }

    @Test
    void theSameKeyInstanceAndAnEqualCopyAreWrittenAlike() {
        // EncoderKeys.write takes a shorter path for the very String instance in its cache slot
        // with an encoding of up to 16 bytes; longer ones (17 to 32 chars cached, beyond that not)
        // and equal copies take the general one. Every path must give the same bytes.
        String[] keys = {"id", "abcdefghijklmnopqrst", "abcdefghijklmnopqrstuv", "n\u00e4me-with-umlauts-x",
            "a-key-of-forty-characters-0123456789abcd"};
        String[] copies = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            copies[i] = new String(keys[i].toCharArray());
            assertTrue(copies[i] != keys[i] && copies[i].equals(keys[i]));
        }
        Value withKeys = document(keys);
        Value withCopies = document(copies);
        byte[] cold = BlazeBinary.encodeValue(withKeys);
        assertEquals(withKeys, BlazeBinary.decodeValue(cold));
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(cold, BlazeBinary.encodeValue(withKeys), "same instances, round " + round);
            assertArrayEquals(cold, BlazeBinary.encodeValue(withCopies), "equal copies, round " + round);
        }
    }

    /** Two maps of the same keys in a list (the second by reference), one nested in the other. */
    private static Value document(String[] k) {
        MapValue inner = map(k[0], Value.of(1), k[1], Value.of("x"), k[2], Value.of(2.5), k[3], Value.of(true), k[4], Value.of(7));
        MapValue second = map(k[0], Value.of(2), k[1], Value.of("y"), k[2], inner, k[3], Value.of(false), k[4], Value.of(8));
        return ListValue.of(inner, second);
    }

    @Test
    void aKeyRepeatedInFullIsRejectedWhereverTheCacheKeepsIt() {
        for (boolean encoderSlot : new boolean[] {true, false}) {
            String[] pair = collidingPair(encoderSlot);
            for (Value warmUp : List.of(MapValue.EMPTY, map(pair[0], Value.of(0)), map(pair[1], Value.of(0)))) {
                BlazeBinary.decodeValue(BlazeBinary.encodeValue(warmUp));
                // {a: 1, b: {b: 1}} with the inner b in full; and {a: {a: 1}, b: 1}
                byte[] innerB = concat(0x21, 0xD2, fullKey(pair[0]), 0x41, fullKey(pair[1]), 0xD1, fullKey(pair[1]), 0x41);
                byte[] innerA = concat(0x21, 0xD2, fullKey(pair[0]), 0xD1, fullKey(pair[0]), 0x41, fullKey(pair[1]), 0x41);
                for (byte[] input : List.of(innerB, innerA)) {
                    BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeValue(input));
                    assertEquals(ErrorCode.MALFORMED_DATA, e.code());
                    assertTrue(e.getMessage().contains("repeated in full"), e.getMessage());
                }
            }
        }
    }

    @Test
    void keysBeyondTheTableLimitAreWrittenInFullEachTime() {
        int n = Limits.MAX_KEY_TABLE + 4;
        Map<String, Value> entries = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = String.format("key%05d", i);
            keys.add(key);
            entries.put(key, Value.of(1));
        }
        MapValue wide = MapValue.of(entries);
        Value v = ListValue.of(wide, wide);
        byte[] encoded = BlazeBinary.encodeValue(v);
        assertEquals(v, BlazeBinary.decodeValue(encoded));

        int keyBytes = 1 + 6; // header byte, then "keyNNNNN" packed: 8 characters in 6 bytes
        int fullMap = 3 + n * (keyBytes + 1); // tag 0x0C, varint count (2 bytes), entries
        int refs = 0;
        for (int i = 0; i < Limits.MAX_KEY_TABLE; i++) {
            refs += ((i << 1) | 1) < 128 ? 1 : 2;
        }
        int secondMap = 3 + refs + Limits.MAX_KEY_TABLE + 4 * (keyBytes + 1);
        assertEquals(2 + fullMap + secondMap, encoded.length, "the 4 keys beyond the table are written in full twice");

        // a key in the table repeated in full is refused; one beyond the table is accepted in full
        Value small = ListValue.of(wide, map(keys.get(n - 1), Value.of(1)));
        assertEquals(small, BlazeBinary.decodeValue(BlazeBinary.encodeValue(small)));
        byte[] prefix = java.util.Arrays.copyOf(encoded, 2 + fullMap);
        prefix[1] = (byte) 0xC2;
        byte[] repeatedInTable = concat(prefix, 0xD1, fullKey(keys.get(0)), 0x41);
        BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeValue(repeatedInTable));
        assertTrue(e.getMessage().contains("repeated in full"), e.getMessage());
        byte[] beyondTable = concat(prefix, 0xD1, fullKey(keys.get(n - 1)), 0x41);
        assertArrayEquals(BlazeBinary.encodeValue(small), beyondTable);
    }

    @Test
    void aReaderBuiltOnOneThreadDecodesOnAnother() throws Exception {
        MapValue doc = map("a", map("a", Value.of(1)), "b", Value.of("x"));
        byte[] encoded = new BlazeWriter().writeValue(doc).toByteArray();
        BlazeReader reader = new BlazeReader(encoded);
        Value[] result = new Value[1];
        Thread t = new Thread(() -> result[0] = reader.readValue());
        t.start();
        t.join(60_000);
        assertEquals(doc, result[0]);
    }
}
