package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** The encodings docs/format.md specifies, byte for byte, and the encoder's refusals. */
class BlazeBinaryTest {
    private static String hex(Value v) {
        return HexFormat.of().formatHex(BlazeBinary.encodeValue(v));
    }

    @Test
    void scalarsUseTheDocumentedBytes() {
        assertEquals("2100", hex(Value.nullValue()));
        assertEquals("2101", hex(Value.of(false)));
        assertEquals("2102", hex(Value.of(true)));
        assertEquals("2140", hex(Value.of(0)));
        assertEquals("217f", hex(Value.of(63)));
        assertEquals("210340", hex(Value.of(64)), "64 and up: tag 03, varint");
        assertEquals("210500", hex(Value.of(-1)), "negative: tag 05, varint of -1 - n");
        assertEquals("2103ffffffffffffffff7f", hex(Value.of(Long.MAX_VALUE)));
        assertEquals("2105ffffffffffffffff7f", hex(Value.of(Long.MIN_VALUE)));
        assertEquals("218368c3a9", hex(Value.of("h\u00e9")));
        assertEquals("210a0102030405060708090a0b0c0d0e0f10", hex(Value.of(new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L))));
        assertEquals("210703010203", hex(Value.of(new byte[] {1, 2, 3})));
    }

    @Test
    void floatsUseTheDecimalFormWhenItIsExact() {
        assertEquals("211000", hex(Value.of(0.0)), "+0.0 is m=0, s=0");
        assertEquals("2104" + "0000000000000080", hex(Value.of(-0.0)), "-0.0 keeps its sign as float64");
        assertEquals("211102", hex(Value.of(0.1)), "0.1 is m=1, s=1: tag 0x11, zigzag(1) = 2");
        assertEquals("2104000000000000f87f", hex(Value.of(Double.NaN)));
        assertEquals(hex(Value.of(Double.NaN)), hex(Value.of(Double.longBitsToDouble(0xfff0000000000001L))),
                "every NaN is written with one bit pattern");
        assertEquals(Value.of(19.99), BlazeBinary.decodeValue(BlazeBinary.encodeValue(Value.of(19.99))));
        assertEquals(4, BlazeBinary.encodeValue(Value.of(19.99)).length, "header, tag and a 2-byte varint");
        assertEquals(10, BlazeBinary.encodeValue(Value.of(Math.PI)).length, "no short decimal: float64");
        assertNotEquals(hex(Value.of(0.0)), hex(Value.of(-0.0)));
        // the examples of docs/format.md
        assertEquals("21129e1f", hex(Value.of(19.99)));
        assertEquals("2113ff880f", hex(Value.of(-123.456)));
        assertEquals("2104182d4454fb210940", hex(Value.of(Math.PI)));
    }

    @Test
    void timestampsUseMillisecondsWhenWhole() {
        // 0 <= ms < 2^44: the tag 0x20 + the top 4 bits, then 5 bytes little-endian
        assertEquals("21200000000000", hex(Value.of(Instant.EPOCH)));
        assertEquals("2120e803000000", hex(Value.of(Instant.ofEpochMilli(1000))));
        assertEquals("2121004abe5393", hex(Value.of(Instant.parse("2024-11-22T12:00:00Z"))), "1,732,276,800,000 ms");
        assertEquals("212fffffffffff", hex(Value.of(Instant.ofEpochMilli((1L << 44) - 1))));
        // outside that range, and before the epoch: zigzag milliseconds
        assertEquals("210880808080808008", hex(Value.of(Instant.ofEpochMilli(1L << 44))));
        assertEquals("210801", hex(Value.of(Instant.ofEpochMilli(-1))));
        assertEquals("21090201", hex(Value.of(Instant.ofEpochSecond(1, 1))));
        for (Instant t : List.of(Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1, 999_000_000), Instant.ofEpochMilli(Long.MIN_VALUE),
                Instant.ofEpochMilli((1L << 44) - 1), Instant.ofEpochMilli(1L << 44), Instant.EPOCH)) {
            assertEquals(Value.of(t), BlazeBinary.decodeValue(BlazeBinary.encodeValue(Value.of(t))), t.toString());
        }
    }

    @Test
    void containersUseShortHeadersAndKeyBackReferences() {
        assertEquals("21c0", hex(ListValue.EMPTY));
        assertEquals("21d0", hex(MapValue.EMPTY));
        MapValue inner = MapValue.builder().put("a", 1).build();
        // [ {a:1}, {a:1} ]: "a" packed (header 1 << 2 | 2, code 38 in the top 6 bits), then back-reference 0 (varint 01)
        assertEquals("21c2" + "d1" + "0698" + "41" + "d1" + "01" + "41", hex(ListValue.of(inner, inner)));
        // keys of [-0-9A-Z_a-z] take 6 bits a character; others are UTF-8 (header length << 2)
        assertEquals("21d1" + "1e" + "eb8ab796ea40" + "40", hex(MapValue.builder().put("user_id", 0).build()), "7 characters in 6 bytes");
        assertEquals("21d1" + "0c" + "612e62" + "40", hex(MapValue.builder().put("a.b", 0).build()));
        assertEquals("21d1" + "02" + "40", hex(MapValue.builder().put("", 0).build()), "the empty key is packed: no bytes");
        List<Value> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(Value.of(i));
        }
        assertTrue(hex(new ListValue(sixteen)).startsWith("210b10"), "16 elements need the long header");
    }

    @Test
    void mapKeysAreWrittenInCodePointOrder() {
        // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit
        MapValue map = MapValue.of(Map.of("\uD83D\uDE00", Value.of(1), "\uFF5E", Value.of(2), "a", Value.of(3)));
        String h = hex(map);
        assertTrue(h.indexOf("efbd9e") < h.indexOf("f09f9880"), h);
    }

    @Test
    void encoderRefusesWhatDecodersWouldRefuse() {
        BlazeException surrogate = assertThrows(BlazeException.class, () -> BlazeBinary.encodeValue(Value.of("a\uD800b")));
        assertEquals(ErrorCode.INVALID_VALUE, surrogate.code());
        Value deep = Value.nullValue();
        for (int i = 0; i < Limits.MAX_DEPTH; i++) {
            deep = ListValue.of(deep);
        }
        assertEquals(deep, BlazeBinary.decodeValue(BlazeBinary.encodeValue(deep)), "MAX_DEPTH levels are fine");
        Value tooDeep = ListValue.of(deep);
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(BlazeException.class, () -> BlazeBinary.encodeValue(tooDeep)).code());
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(BlazeException.class, () -> JsonCodec.write(tooDeep)).code());
    }

    @Test
    void documentsAndOperationsHaveTheirOwnHeaderKinds() {
        MapValue doc = MapValue.builder().put("x", 1).build();
        byte[] docBytes = BlazeBinary.encodeDocument(doc);
        assertEquals(0x21, docBytes[0]);
        Operation op = new RandomValues(1).operation();
        byte[] opBytes = BlazeBinary.encodeOperation(op);
        assertEquals(0x22, opBytes[0]);
        assertEquals(0x23, BlazeBinary.encodeBatch(List.of(op))[0]);
        BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeDocument(opBytes));
        assertTrue(e.getMessage().contains("expected a value but the header says an operation"), e.getMessage());
        assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeDocument(BlazeBinary.encodeValue(Value.of(1))));
    }

    @Test
    void batchesCompressWhenItPaysAndSayWhich() {
        List<Operation> many = new RandomValues(2).operations(50);
        byte[] compressed = BlazeBinary.encodeBatch(many);
        byte[] raw = BlazeBinary.encodeBatch(many, false);
        assertEquals(Tags.BATCH_LZ4, compressed[1]);
        assertEquals(Tags.BATCH_RAW, raw[1]);
        assertTrue(compressed.length < raw.length * 7 / 8);
        assertEquals(many, BlazeBinary.decodeBatch(compressed));
        assertEquals(many, BlazeBinary.decodeBatch(raw));
        byte[] one = BlazeBinary.encodeBatch(List.of(many.get(0)));
        assertEquals(many.subList(0, 1), BlazeBinary.decodeBatch(one));
        assertEquals(List.of(), BlazeBinary.decodeBatch(BlazeBinary.encodeBatch(List.of())));
        assertTrue(BlazeBinary.lz4Implementation().startsWith("native") || BlazeBinary.lz4Implementation().startsWith("java"));
    }
}
