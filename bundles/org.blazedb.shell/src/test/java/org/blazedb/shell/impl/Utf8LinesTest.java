package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static Utf8Lines lines(byte[] bytes) {
        return new Utf8Lines(new ByteArrayInputStream(bytes));
    }
}
