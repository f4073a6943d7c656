package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** The ASCII path of string values and the thread's reused reader. */
class StringDecodingTest {
    @Test
    void asciiIsRecognisedAtEveryLengthAndOffsetAndAnyHighByteSendsToTheUtf8Path() {
        for (int len = 0; len <= 40; len++) {
            for (int off = 0; off <= 9; off++) {
                byte[] buf = new byte[off + len + 3];
                Arrays.fill(buf, (byte) 0xC3); // bytes around the range are not ASCII: they must not count
                for (int i = 0; i < len; i++) {
                    buf[off + i] = (byte) ('a' + i % 26);
                }
                assertTrue(Utf8.isAscii(buf, off, len), len + "@" + off);
                assertEquals(new String(buf, off, len, StandardCharsets.UTF_8), Utf8.decodeValue(buf, off, len));
                for (int at = 0; at < len; at++) {
                    byte[] high = buf.clone();
                    high[off + at] = (byte) 0x80;
                    assertFalse(Utf8.isAscii(high, off, len), len + "@" + off + " high byte at " + at);
                    assertNull(Utf8.decodeValue(high, off, len), "a lone continuation byte is not UTF-8");
                }
            }
        }
    }

    @Test
    void nonAsciiStringsStillDecodeStrictly() {
        String s = "caf\u00e9 \u4e2d\u6587 \ud83d\ude00 and some ASCII after it";
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertEquals(s, Utf8.decodeValue(utf8, 0, utf8.length));
        assertEquals("\ufffd", Utf8.decodeValue(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD}, 0, 3));
        assertNull(Utf8.decodeValue(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3), "a surrogate is not UTF-8");
    }

    @Test
    void aDocumentDecodesTheSameAfterAFailedDecodeOnTheSameThread() {
        MapValue doc = MapValue.builder().put("name", "Ada Lovelace").put("bio", "x".repeat(100)).put("n", 7).build();
        byte[] bytes = BlazeBinary.encodeDocument(doc);
        assertEquals(doc, BlazeBinary.decodeDocument(bytes));
        assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeDocument(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(BlazeFormatException.class, () -> BlazeBinary.decodeDocument(new byte[0]));
        assertEquals(doc, BlazeBinary.decodeDocument(bytes));
        assertEquals(new StringValue("v"), BlazeBinary.decodeValue(BlazeBinary.encodeValue(Value.of("v"))));
        // a reader that is not the thread's is unaffected by it
        BlazeReader other = new BlazeReader(BlazeBinary.encodeValue(Value.of("w")), 1, BlazeBinary.encodeValue(Value.of("w")).length - 1);
        assertEquals(doc, BlazeBinary.decodeDocument(bytes));
        assertEquals(Value.of("w"), other.readValue());
    }
}
