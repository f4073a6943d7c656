package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** The JSON mapping JsonCodec documents: numbers without silent loss, tagged types, escapes, JSON lines. */
class JsonCodecTest {
    private static ErrorCode refused(String json) {
        return assertThrows(BlazeException.class, () -> JsonCodec.parse(json)).code();
    }

    @Test
    void integersAreInt64AndNeverRounded() {
        assertEquals(Value.of(Long.MAX_VALUE), JsonCodec.parse("9223372036854775807"));
        assertEquals(Value.of(Long.MIN_VALUE), JsonCodec.parse("-9223372036854775808"));
        assertEquals(Value.of(0), JsonCodec.parse("-0"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("9223372036854775808"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("[1, -99999999999999999999999]"));
    }

    /** JSON can escape half a surrogate pair; UTF-8 cannot store it, so it is refused where it is read. */
    @Test
    void textWithAnUnpairedSurrogateIsRefusedAndAPairIsRead() {
        assertEquals(Value.of("x\uD83D\uDE00y"), JsonCodec.parse("\"x\\ud83d\\ude00y\""));
        BlazeException e = assertThrows(BlazeException.class, () -> JsonCodec.parse("{\"s\":\"x\\ud800y\"}"));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
        assertTrue(e.getMessage().contains("string holds an unpaired surrogate (\\ud800) at character 1"), e.getMessage());
        assertEquals(ErrorCode.INVALID_VALUE, refused("\"\\udc00\""), "a low surrogate alone");
        assertEquals(ErrorCode.INVALID_VALUE, refused("\"a\\ud83d\""), "a high surrogate at the end");
        assertEquals(ErrorCode.INVALID_VALUE, refused("{\"k\\ud800\":1}"), "in a field name");
    }

    @Test
    void fractionsAndExponentsAreFloat64() {
        assertEquals(Value.of(5.0), JsonCodec.parse("5.0"));
        assertEquals(Value.of(1e20), JsonCodec.parse("1e20"));
        assertEquals(Value.of(0.1), JsonCodec.parse("0.1"));
        assertEquals(Value.of(-0.0), JsonCodec.parse("-0.0"));
        assertEquals(Value.of(0.0), JsonCodec.parse("0e5"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("1e400"), "beyond float64");
        assertEquals(ErrorCode.INVALID_VALUE, refused("-1e400"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("1e-400"), "would silently become 0");
        assertEquals("5.0", JsonCodec.write(Value.of(5.0)));
        assertEquals("1.0E20", JsonCodec.write(Value.of(1e20)));
        assertEquals("{\"$float\":\"NaN\"}", JsonCodec.write(Value.of(Double.NaN)));
        assertEquals(Value.of(Double.NEGATIVE_INFINITY), JsonCodec.parse("{\"$float\":\"-Infinity\"}"));
    }

    @Test
    void bytesTimestampsAndUuidsAreTaggedObjects() {
        assertEquals("{\"$bytes\":\"AQID\"}", JsonCodec.write(Value.of(new byte[] {1, 2, 3})));
        assertEquals("{\"$timestamp\":\"2024-03-01T10:15:30.123Z\"}", JsonCodec.write(Value.of(Instant.parse("2024-03-01T10:15:30.123Z"))));
        UUID u = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertEquals("{\"$uuid\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}", JsonCodec.write(Value.of(u)));
        assertEquals(Value.of(u), JsonCodec.parse("{\"$uuid\":\"0F8FAD5B-D9CB-469F-A165-70867728950E\"}"));
        assertEquals(Value.of(Instant.parse("2024-03-01T09:15:30Z")), JsonCodec.parse("{\"$timestamp\":\"2024-03-01T10:15:30+01:00\"}"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("{\"$bytes\":\"not base64!\"}"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("{\"$uuid\":\"1-2-3-4-5\"}"));
        assertEquals(ErrorCode.INVALID_VALUE, refused("{\"$timestamp\":5}"));
    }

    @Test
    void mapsThatLookLikeTagsAreEscapedAndRoundTrip() {
        MapValue looksTagged = MapValue.builder().put("$uuid", "not a uuid").build();
        String json = JsonCodec.write(looksTagged);
        assertEquals("{\"$map\":{\"$uuid\":\"not a uuid\"}}", json);
        assertEquals(looksTagged, JsonCodec.parse(json));
        MapValue nested = MapValue.builder().put("$map", looksTagged).build();
        assertEquals(nested, JsonCodec.parse(JsonCodec.write(nested)));
        MapValue twoKeys = MapValue.builder().put("$map", MapValue.builder().put("$uuid", Value.of(UUID.randomUUID())).build()).put("x", 1).build();
        assertEquals(twoKeys, JsonCodec.parse(JsonCodec.write(twoKeys)));
    }

    @Test
    void documentsAreObjectsAndBadJsonNamesTheLine() {
        assertEquals(MapValue.builder().put("a", ListValue.of(Value.of(true), Value.nullValue())).build(),
                JsonCodec.parseDocument("{\"a\": [true, null]}"));
        assertEquals(ErrorCode.INVALID_VALUE, assertThrows(BlazeException.class, () -> JsonCodec.parseDocument("[1]")).code());
        BlazeException bad = assertThrows(BlazeException.class, () -> JsonCodec.parse("{\"a\":\n 1,,}"));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
        assertEquals(ErrorCode.INVALID_VALUE, refused("{\"a\":1,\"a\":2}"), "a repeated key would lose a value");
        assertEquals(ErrorCode.INVALID_VALUE, refused("1 2"));
        assertEquals(ErrorCode.INVALID_VALUE, refused(""));
    }

    @Test
    void jsonLinesStreamOneDocumentAtATime() {
        String text = "{\"id\":1}\n\n{\"id\":2,\"t\":{\"$timestamp\":\"2024-01-01T00:00:00Z\"}}\n[3]\n";
        try (JsonLinesReader lines = JsonCodec.lines(new StringReader(text))) {
            assertEquals(MapValue.builder().put("id", 1).build(), lines.next());
            assertEquals(Value.of(Instant.parse("2024-01-01T00:00:00Z")), lines.next().get("t").orElseThrow());
            BlazeException e = assertThrows(BlazeException.class, lines::next);
            assertTrue(e.getMessage().startsWith("Line 4:"), e.getMessage());
            assertEquals(2, lines.count());
        }
        try (JsonLinesReader lines = JsonCodec.lines(new StringReader("{}\n"))) {
            assertEquals(MapValue.EMPTY, lines.next());
            assertNull(lines.next());
        }
    }
}
