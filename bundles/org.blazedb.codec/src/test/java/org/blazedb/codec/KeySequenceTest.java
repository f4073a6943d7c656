package org.blazedb.codec;

import static org.blazedb.codec.KeyBytes.concat;
import static org.blazedb.codec.KeyBytes.fullKey;
import static org.blazedb.codec.KeyBytes.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * The decoder's {@link KeySequence}s (the keys remembered after a map's first key) must change
 * nothing that is accepted or refused: every check the decoder makes on a key read by its hash
 * it must also make on a key matched in a sequence, whatever the earlier documents taught it.
 */
class KeySequenceTest {
    /** Decodes {@code v} a few times on this thread, so that its maps' key sequences are learnt. */
    private static void teach(Value v) {
        byte[] encoded = BlazeBinary.encodeValue(v);
        for (int i = 0; i < 3; i++) {
            assertEquals(v, BlazeBinary.decodeValue(encoded));
        }
    }

    private static KeySequence sequenceAfter(String packableKey) {
        byte[] full = fullKey(packableKey);
        int slot = DecoderKeys.slot(full, 1, full.length - 1, packableKey.length() << 1 | 1);
        DecoderKeys keys = DecoderKeys.forThisThread();
        return keys.sequenceAfter(slot, keys.key(slot));
    }

    private static BlazeFormatException refused(byte[] input) {
        BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeValue(input));
        assertEquals(ErrorCode.MALFORMED_DATA, e.code());
        return e;
    }

    @Test
    void mapsOfOneShapeAreLearntAndOtherShapesStillDecode() {
        teach(map("sa", Value.of(1), "sb", Value.of(2), "sc", Value.of(3), "sd", Value.of(4)));
        KeySequence seq = sequenceAfter("sa");
        assertNotNull(seq);
        assertEquals(3, seq.size);
        List<Value> others = List.of(
                map("sa", Value.of(1), "sb", Value.of(2), "sd", Value.of(4)),
                map("sa", Value.of(1), "sc", Value.of(3)),
                map("sa", Value.of(1), "sb", Value.of(2), "sc", Value.of(3), "sd", Value.of(4), "se", Value.of(5)),
                map("sa", Value.of(1), "sab", Value.of(2), "sd", Value.of(4), "sz", Value.of(0)),
                map("sa", map("sa", Value.of(1), "sd", Value.of(2)), "sc", ListValue.of(map("sa", Value.of(1), "sb",
                        Value.of(2)), map("sa", Value.of(3), "sb", Value.of(4)))));
        for (Value v : others) {
            byte[] encoded = BlazeBinary.encodeValue(v);
            assertEquals(v, BlazeBinary.decodeValue(encoded));
            assertEquals(v, BlazeBinary.decodeValue(encoded));
        }
        // the keys seen after "sa" have joined its sequence, in order
        assertEquals(6, sequenceAfter("sa").size);
    }

    @Test
    void keysWhoseEncodingsDifferOnlyAfterTheirFirstEightBytesAreTold() {
        // 12 packed characters: a header byte and 9 bytes, the last character in bytes 9 and 10
        String learnt = "kabcdefghijk";
        String other = "kabcdefghijz";
        byte[] a = fullKey(learnt);
        byte[] b = fullKey(other);
        assertEquals(10, a.length);
        assertArrayEquals(java.util.Arrays.copyOf(a, 8), java.util.Arrays.copyOf(b, 8));
        teach(map("ka", Value.of(1), learnt, Value.of(2)));
        assertEquals(1, sequenceAfter("ka").size);
        Value v = map("ka", Value.of(1), other, Value.of(2));
        byte[] encoded = BlazeBinary.encodeValue(v);
        assertEquals(v, BlazeBinary.decodeValue(encoded));
        // and the learnt key still matches, at the end of the input too (its second word is cut short there)
        Value learntDoc = map("ka", Value.of(1), learnt, Value.of(2));
        assertEquals(learntDoc, BlazeBinary.decodeValue(BlazeBinary.encodeValue(learntDoc)));
        byte[] inRange = BlazeBinary.encodeValue(learntDoc);
        assertEquals(learntDoc, new BlazeReader(java.util.Arrays.copyOf(inRange, inRange.length + 3), 1, inRange.length - 1).readValue());
    }

    @Test
    void aKeyTheSequenceHoldsRepeatedInFullIsRefused() {
        teach(map("rk", Value.of(0), "rx", Value.of(0)));
        // {rm1: {rk: 0, rx: 0}, rm2: {rk: 0, rx: 0}} with rk by reference (index 1) but rx in full again
        byte[] input = concat(0x21, 0xD2, fullKey("rm1"), 0xD2, fullKey("rk"), 0x40, fullKey("rx"), 0x40,
                fullKey("rm2"), 0xD2, 0x03, 0x40, fullKey("rx"), 0x40);
        assertTrue(refused(input).getMessage().contains("\"rx\" repeated in full"));
        // and with the reference instead, it is the canonical form
        byte[] canonical = concat(0x21, 0xD2, fullKey("rm1"), 0xD2, fullKey("rk"), 0x40, fullKey("rx"), 0x40,
                fullKey("rm2"), 0xD2, 0x03, 0x40, 0x05, 0x40);
        Value v = map("rm1", map("rk", Value.of(0), "rx", Value.of(0)), "rm2", map("rk", Value.of(0), "rx", Value.of(0)));
        assertEquals(v, BlazeBinary.decodeValue(canonical));
        assertArrayEquals(canonical, BlazeBinary.encodeValue(v));
    }

    @Test
    void keysOutOfOrderAreRefusedThoughTheSequenceHoldsThem() {
        teach(map("oa", Value.of(0), "ob", Value.of(0), "oc", Value.of(0)));
        // {oa, oc, ob}: oc matches, ob lies behind it in the sequence
        assertTrue(refused(concat(0x21, 0xD3, fullKey("oa"), 0x40, fullKey("oc"), 0x40, fullKey("ob"), 0x40))
                .getMessage().contains("not after"));
        // {oa, ob, ob}: the second ob is neither after the first nor new
        refused(concat(0x21, 0xD3, fullKey("oa"), 0x40, fullKey("ob"), 0x40, fullKey("ob"), 0x40));
        // {oa, oz, ob}: oz is not in the sequence (but cached, so no slot changes); ob is, but not after oz
        teach(map("oz", Value.of(0)));
        assertTrue(refused(concat(0x21, 0xD3, fullKey("oa"), 0x40, fullKey("oz"), 0x40, fullKey("ob"), 0x40))
                .getMessage().contains("\"ob\" is not after \"oz\""));
        // {ob, oa}: first keys are checked as before
        refused(concat(0x21, 0xD2, fullKey("ob"), 0x40, fullKey("oa"), 0x40));
    }

    @Test
    void backReferencesMatchedInTheSequenceAreCheckedToo() {
        MapValue line = map("ba", Value.of(1), "bb", Value.of(2), "bc", Value.of(3));
        Value lines = map("bm1", line, "bm2", line, "bm3", map("ba", Value.of(1), "bc", Value.of(3)));
        teach(lines);
        teach(map("bz", Value.of(0)));
        // table: bm1 0, ba 1, bb 2, bc 3, bm2 4, bz 5; references are (index << 1) | 1
        byte[] head = concat(0x21, 0xD2, fullKey("bm1"), 0xD3, fullKey("ba"), 0x41, fullKey("bb"), 0x42, fullKey("bc"), 0x43,
                fullKey("bm2"));
        // {ba, bc, bb} and {ba, bz, bb} by reference: out of order
        assertTrue(refused(concat(head, 0xD3, 0x03, 0x41, 0x07, 0x43, 0x05, 0x42)).getMessage().contains("\"bb\" is not after \"bc\""));
        assertTrue(refused(concat(head, 0xD3, 0x03, 0x41, fullKey("bz"), 0x40, 0x05, 0x42)).getMessage().contains("\"bb\" is not after \"bz\""));
        // {ba, bb, bb}: the same key twice by reference
        refused(concat(head, 0xD3, 0x03, 0x41, 0x05, 0x42, 0x05, 0x42));
        // a reference beyond the table
        assertTrue(refused(concat(head, 0xD2, 0x03, 0x41, 0x0B, 0x42)).getMessage().contains("back-reference 5 but only 5 keys seen"));
        // and in order (which teaches the sequence bz, so it comes last)
        assertEquals(map("bm1", line, "bm2", map("ba", Value.of(1), "bb", Value.of(2), "bz", Value.of(0))),
                BlazeBinary.decodeValue(concat(head, 0xD3, 0x03, 0x41, 0x05, 0x42, fullKey("bz"), 0x40)));
    }

    /** Two packable keys after "a" in key order that share a decoder cache slot. */
    private static String[] collidingPair() {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String key = "k" + i;
            byte[] full = fullKey(key);
            String other = seen.putIfAbsent(DecoderKeys.slot(full, 1, full.length - 1, key.length() << 1 | 1), key);
            if (other != null) {
                return Value.KEY_ORDER.compare(other, key) < 0 ? new String[] {other, key} : new String[] {key, other};
            }
        }
    }

    @Test
    void aSlotTakenOverByAnotherKeyIsNotTrusted() {
        String[] pair = collidingPair();
        String p = pair[0];
        String q = pair[1];
        MapValue shape = map("a", Value.of(0), p, Value.of(0));
        teach(shape);
        // q takes p's slot while the outer map is read, after the sequence was found
        Value nested = map("a", map(q, Value.of(1)), p, Value.of(2));
        byte[] encoded = BlazeBinary.encodeValue(nested);
        assertEquals(nested, BlazeBinary.decodeValue(encoded));
        // {a: {p: 1}, p: 2} with the outer p in full, which the sequence holds: refused
        assertTrue(refused(concat(0x21, 0xD2, fullKey("a"), 0xD1, fullKey(p), 0x41, fullKey(p), 0x42))
                .getMessage().contains("\"" + p + "\" repeated in full"));
        // {a: {q: 1}, p: 2, q: 3} with the outer q in full after q took p's slot: refused
        assertTrue(refused(concat(0x21, 0xD3, fullKey("a"), 0xD1, fullKey(q), 0x41, fullKey(p), 0x42, fullKey(q), 0x43))
                .getMessage().contains("\"" + q + "\" repeated in full"));
        // between documents: q takes the slot, then the learnt shape comes back
        teach(map(q, Value.of(0)));
        teach(shape);
        teach(map("a", Value.of(0), q, Value.of(1)));
        assertEquals(shape, BlazeBinary.decodeValue(BlazeBinary.encodeValue(shape)));
        assertEquals(nested, BlazeBinary.decodeValue(encoded));
    }

    @Test
    void truncatedOrCutShortInputIsRefusedAfterTheShapeIsLearnt() {
        MapValue doc = map("ta", Value.of(1), "tbeta", Value.of("x"), "tgamma_delta_eps", Value.of(3),
                "tlong_key_name_beyond_sixteen", Value.of(4),
                "tz", map("ta", Value.of(1), "tbeta", Value.of(2)));
        teach(doc);
        byte[] value = new BlazeWriter().writeValue(doc).toByteArray();
        assertEquals(doc, new BlazeReader(value).readValue());
        for (int cut = 0; cut < value.length; cut++) {
            // the bytes after the cut are still in the array, where a sequence could match them
            BlazeReader r = new BlazeReader(value, 0, cut);
            BlazeFormatException e = assertThrows(BlazeFormatException.class, r::readValue, "cut at " + cut);
            // found where the input ends, not after reading past it
            assertFalse(e.getMessage().matches(".*-\\d+ (bytes )?remain.*"), e.getMessage());
        }
        // every single-byte change is refused or decodes to a value that encodes to those bytes
        byte[] encoded = BlazeBinary.encodeDocument(doc);
        for (int at = 1; at < encoded.length; at++) {
            for (int delta : new int[] {1, 2, 4, 0x80, 0xFF}) {
                byte[] changed = encoded.clone();
                changed[at] += (byte) delta;
                try {
                    assertArrayEquals(changed, BlazeBinary.encodeDocument(BlazeBinary.decodeDocument(changed)));
                } catch (BlazeFormatException expected) {
                    // refused with a clear error
                } catch (RuntimeException e) {
                    fail("byte " + at + " + " + delta + ": " + e, e);
                }
            }
        }
    }

    @Test
    void keysBeyondAFullTableAreWrittenInFullAndNotMatched() {
        MapValue shape = map("fa", Value.of(1), "fb", Value.of(2));
        teach(shape);
        Map<String, Value> entries = new HashMap<>();
        for (int i = 0; i < Limits.MAX_KEY_TABLE; i++) {
            entries.put(String.format("w%05d", i), Value.of(1));
        }
        List<Value> items = new ArrayList<>(List.of(MapValue.of(entries), shape, shape));
        Value v = new ListValue(items);
        byte[] encoded = BlazeBinary.encodeValue(v);
        assertEquals(v, BlazeBinary.decodeValue(encoded));
        // the two small maps come after the full table: both written in full
        byte[] tail = concat(0xD2, fullKey("fa"), 0x41, fullKey("fb"), 0x42);
        byte[] end = java.util.Arrays.copyOfRange(encoded, encoded.length - 2 * tail.length, encoded.length);
        assertArrayEquals(concat(tail, tail), end);
    }
}
