package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/**
 * Bad input of every kind the issue lists gets a BlazeFormatException naming the problem and its
 * offset: never an OutOfMemoryError, a StackOverflowError, a hang or a silently wrong value.
 */
class HostileInputTest {
    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static BlazeFormatException rejected(String hex, ErrorCode code, int offset, String words) {
        return rejected(BlazeBinary::decodeValue, bytes(hex), code, offset, words);
    }

    private static BlazeFormatException rejected(Function<byte[], ?> decoder, byte[] input, ErrorCode code, int offset, String words) {
        BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> decoder.apply(input));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset " + offset), e.getMessage());
        return e;
    }

    @Test
    void everyTruncationOfAValidEncodingIsRejected() {
        RandomValues random = new RandomValues(42);
        for (int i = 0; i < 20; i++) {
            byte[] doc = BlazeBinary.encodeDocument(random.map(3));
            byte[] op = BlazeBinary.encodeOperation(random.operation());
            byte[] batch = BlazeBinary.encodeBatch(random.operations(3));
            for (int n = 0; n < doc.length; n++) {
                assertThrows(BlazeFormatException.class, decodeDocumentOf(Arrays.copyOf(doc, n))::run);
            }
            for (int n = 0; n < op.length; n++) {
                byte[] cut = Arrays.copyOf(op, n);
                assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeOperation(cut));
            }
            for (int n = 0; n < batch.length; n++) {
                byte[] cut = Arrays.copyOf(batch, n);
                assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeBatch(cut));
            }
        }
    }

    private static Runnable decodeDocumentOf(byte[] input) {
        return () -> BlazeBinary.decodeDocument(input);
    }

    @Test
    void truncatedItemsNameTheMissingBytes() {
        rejected("", ErrorCode.MALFORMED_DATA, 0, "empty input");
        rejected("2103", ErrorCode.MALFORMED_DATA, 2, "truncated input");
        rejected("2104000000", ErrorCode.MALFORMED_DATA, 2, "truncated input: 8 more byte(s) needed, 3 remain");
        rejected("218561", ErrorCode.MALFORMED_DATA, 2, "truncated");
    }

    @Test
    void wrongTagsAndVersionsAreRejected() {
        rejected("210d", ErrorCode.MALFORMED_DATA, 1, "unknown value tag 0xd");
        rejected("21e0", ErrorCode.MALFORMED_DATA, 1, "unknown value tag 0xe0");
        rejected("3100", ErrorCode.MALFORMED_DATA, 0, "unsupported BlazeBinary format version 3");
        rejected("1100", ErrorCode.MALFORMED_DATA, 0, "format version 1 is no longer read");
        rejected("0100", ErrorCode.MALFORMED_DATA, 0, "unsupported BlazeBinary format version 0");
        rejected("2200", ErrorCode.MALFORMED_DATA, 0, "expected a value but the header says an operation");
        rejected(BlazeBinary::decodeBatch, bytes("2302"), ErrorCode.MALFORMED_DATA, 1, "unknown batch compression flag 0x2");
    }

    @Test
    void trailingBytesAreRejected() {
        rejected("210000", ErrorCode.MALFORMED_DATA, 2, "1 trailing bytes");
        byte[] op = BlazeBinary.encodeOperation(new RandomValues(3).operation());
        byte[] longer = Arrays.copyOf(op, op.length + 2);
        rejected(BlazeBinary::decodeOperation, longer, ErrorCode.MALFORMED_DATA, op.length, "2 trailing bytes");
    }

    @Test
    void lyingLengthPrefixesAreCaughtBeforeAllocating() {
        // a string claiming 2^31 - 1 bytes, a bytes value claiming 1 MiB with 1 byte present
        rejected("2106ffffffff07", ErrorCode.LIMIT_EXCEEDED, 2, "exceeds MAX_STRING_BYTES");
        rejected("2107808040" + "00", ErrorCode.MALFORMED_DATA, 2, "bytes length 1048576 but only 1 bytes remain");
        // a list claiming a billion elements, a map claiming 100 entries with 10 bytes left
        rejected("210b8094ebdc03", ErrorCode.LIMIT_EXCEEDED, 1, "exceeds MAX_ELEMENTS");
        rejected("210c64" + "00".repeat(10), ErrorCode.MALFORMED_DATA, 1, "map entry count 100 but only 10 bytes remain");
        // a key claiming more bytes than there are, a back-reference to a key never seen
        rejected("21d1" + "1461", ErrorCode.MALFORMED_DATA, 2, "map key of 5 bytes but only 1 bytes remain");
        rejected("21d1" + "1698", ErrorCode.MALFORMED_DATA, 2, "map key of 4 bytes but only 1 bytes remain"); // 5 packed chars
        rejected("21d1" + "0341", ErrorCode.MALFORMED_DATA, 2, "back-reference 1 but only 0 keys seen");
        // an LZ4 batch claiming 64 MiB + 1 raw bytes, and one claiming more than LZ4 can expand to
        rejected(BlazeBinary::decodeBatch, bytes("2301" + "8180808020" + "00"), ErrorCode.LIMIT_EXCEEDED, 2, "exceeds MAX_BATCH_BYTES");
        rejected(BlazeBinary::decodeBatch, bytes("2301" + "808040" + "0000"), ErrorCode.MALFORMED_DATA, 2, "impossible for 2 compressed bytes");
        rejected(BlazeBinary::decodeBatch, bytes("2300" + "ffff03"), ErrorCode.LIMIT_EXCEEDED, 2, "exceeds MAX_BATCH_OPERATIONS");
    }

    @Test
    void corruptLz4BlocksAreRejected() {
        byte[] batch = BlazeBinary.encodeBatch(new RandomValues(4).operations(30));
        assertEquals(Tags.BATCH_LZ4, batch[1]);
        for (int i = 6; i < batch.length; i += 7) {
            byte[] bad = batch.clone();
            bad[i] ^= 0x5A;
            try {
                List<Operation> ops = BlazeBinary.decodeBatch(bad);
                assertEquals(ops, BlazeBinary.decodeBatch(BlazeBinary.encodeBatch(ops)), "a corrupt block that decodes is a valid batch");
            } catch (BlazeFormatException expected) {
                assertTrue(expected.getMessage().contains("at byte offset"));
            }
        }
    }

    @Test
    void deepNestingStopsAtMaxDepthWithoutRecursingFurther() {
        // a million nested one-element lists: 0xC1 repeated, then null
        byte[] deep = new byte[1_000_002];
        deep[0] = 0x21;
        Arrays.fill(deep, 1, deep.length - 1, (byte) 0xC1);
        rejected(BlazeBinary::decodeValue, deep, ErrorCode.LIMIT_EXCEEDED, 1 + Limits.MAX_DEPTH, "deeper than MAX_DEPTH");
        StringBuilder json = new StringBuilder();
        json.append("[".repeat(100_000)).append("]".repeat(100_000));
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(org.blazedb.api.BlazeException.class, () -> JsonCodec.parse(json.toString())).code());
    }

    @Test
    void nonCanonicalFormsAreRejected() {
        rejected("210305", ErrorCode.MALFORMED_DATA, 1, "non-canonical int");
        rejected("2103ffffffffffffffff8001", ErrorCode.MALFORMED_DATA, 1, "beyond int64");
        rejected("2105ffffffffffffffff8001", ErrorCode.MALFORMED_DATA, 1, "beyond int64");
        rejected("2106" + "01" + "61", ErrorCode.MALFORMED_DATA, 1, "non-canonical string");
        rejected("2104" + "010000000000f87f", ErrorCode.MALFORMED_DATA, 1, "non-canonical NaN");
        rejected("2104" + "0000000000000000", ErrorCode.MALFORMED_DATA, 1, "has a decimal form");
        rejected("2111" + "14", ErrorCode.MALFORMED_DATA, 1, "ends in 0");
        rejected("2110" + "8080808080808080" + "01", ErrorCode.MALFORMED_DATA, 1, "decimal mantissa out of range");
        rejected("2109" + "00" + "00", ErrorCode.MALFORMED_DATA, 1, "whole milliseconds");
        rejected("2109" + "00" + "8094ebdc03", ErrorCode.MALFORMED_DATA, 1, "not in 0..999999999");
        rejected("210b00", ErrorCode.MALFORMED_DATA, 1, "one-byte header");
        // keys "b" (packed: 06 9c) then "a" (06 98); "a" then a back-reference to itself
        rejected("21d2" + "069c" + "40" + "0698" + "40", ErrorCode.MALFORMED_DATA, 5, "not after");
        rejected("21d2" + "0698" + "40" + "01" + "40", ErrorCode.MALFORMED_DATA, 5, "not after");
        rejected("21c2" + "d1" + "0698" + "40" + "d1" + "0698" + "40", ErrorCode.MALFORMED_DATA, 7, "repeated in full");
        // "a" in UTF-8 (04 61) though it has a packed form; packed "a" with a padding bit set
        rejected("21d1" + "0461" + "40", ErrorCode.MALFORMED_DATA, 2, "has a packed form");
        rejected("21d1" + "0699" + "40", ErrorCode.MALFORMED_DATA, 2, "bits after its last character are not zero");
        // a key in UTF-8 and a packed one in the same map, compared as UTF-8: "a.b" (0c 612e62) < "ab" (0a 9a70)
        assertEquals(MapValue.builder().put("a.b", 1).put("ab", 2).build(), BlazeBinary.decodeValue(bytes("21d2" + "0c612e62" + "41" + "0a9a70" + "42")));
        rejected("21d2" + "0a9a70" + "42" + "0c612e62" + "41", ErrorCode.MALFORMED_DATA, 6, "not after");
        // 1 ms after the epoch in the zigzag form, which 0x20..0x2F cover
        rejected("2108" + "02", ErrorCode.MALFORMED_DATA, 1, "has the 6-byte form");
        rejected("2183" + "c0afc0", ErrorCode.MALFORMED_DATA, 2, "not well-formed UTF-8");
        rejected("2183" + "eda080", ErrorCode.MALFORMED_DATA, 2, "not well-formed UTF-8");
    }

    @Test
    void timestampsBeyondTheRangeOfInstantAreRejected() {
        for (long seconds : new long[] {java.time.Instant.MAX.getEpochSecond() + 1, java.time.Instant.MIN.getEpochSecond() - 1, Long.MAX_VALUE}) {
            byte[] input = new BlazeWriter().writeByte(0x21).writeByte(Tags.TIMESTAMP).writeZigZagLong(seconds).writeVarLong(1).toByteArray();
            rejected(BlazeBinary::decodeValue, input, ErrorCode.MALFORMED_DATA, 1, "outside the supported range");
        }
        for (java.time.Instant extreme : new java.time.Instant[] {java.time.Instant.MAX, java.time.Instant.MIN}) {
            Value v = Value.of(extreme);
            assertEquals(v, BlazeBinary.decodeValue(BlazeBinary.encodeValue(v)));
        }
    }

    @Test
    void aDocumentMustBeAMap() {
        rejected(BlazeBinary::decodeDocument, bytes("21c0"), ErrorCode.MALFORMED_DATA, 1, "a document is a map");
        assertEquals(MapValue.EMPTY, BlazeBinary.decodeDocument(bytes("21d0")));
    }
}
