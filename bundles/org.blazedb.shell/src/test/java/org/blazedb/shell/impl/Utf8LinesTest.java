package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {
    @Test
    void linesEndAtNewlinesWithOrWithoutACarriageReturnAndTheLastMayHaveNone() throws Exception {
        Utf8Lines lines = lines("a\r\n\nb\nc".getBytes(StandardCharsets.UTF_8));
        assertEquals("a", lines.next());
        assertEquals("", lines.next());
        assertEquals("b", lines.next());
        assertEquals("c", lines.next());
        assertNull(lines.next());
        assertEquals(7, lines.bytesRead());
    }

    @Test
    void aLineLongerThanTheReadChunkIsWhole() throws Exception {
        String longLine = "é".repeat(200_000);
        Utf8Lines lines = lines((longLine + "\nx\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(longLine, lines.next());
        assertEquals("x", lines.next());
        assertNull(lines.next());
    }

    @Test
    void invalidUtf8FailsOnlyItsOwnLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("good\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'b', (byte) 0xC3, '(', '\n'});
        bytes.writeBytes("after\n".getBytes(StandardCharsets.UTF_8));
        Utf8Lines lines = lines(bytes.toByteArray());
        assertEquals("good", lines.next());
        assertThrows(CharacterCodingException.class, lines::next);
        assertEquals("after", lines.next());
    }

    /** A file with no line ends is not read into memory whole: the line fails at the limit. */
    @Test
    void aLineOverTheLimitFailsAndOneAtTheLimitIsTaken() throws Exception {
        Utf8Lines atLimit = new Utf8Lines(new ByteArrayInputStream("abcde\r\nfghij\nk".getBytes(StandardCharsets.UTF_8)), 5);
        assertEquals("abcde", atLimit.next());
        assertEquals("fghij", atLimit.next());
        assertEquals("k", atLimit.next());

        Utf8Lines overLimit = new Utf8Lines(new ByteArrayInputStream("abcdef\n".getBytes(StandardCharsets.UTF_8)), 5);
        assertEquals("longer than 5 bytes", assertThrows(Utf8Lines.LineTooLongException.class, overLimit::next).getMessage());

        Utf8Lines noLineEnd = new Utf8Lines(new ByteArrayInputStream(new byte[300_000]), 100_000);
        assertThrows(Utf8Lines.LineTooLongException.class, noLineEnd::next);
        assertTrue(noLineEnd.bytesRead() == 0, "nothing of the long line is counted as read");
    }

    private static Utf8Lines lines(byte[] bytes) {
        return new Utf8Lines(new ByteArrayInputStream(bytes), Integer.MAX_VALUE - 8);
    }
}
