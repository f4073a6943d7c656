package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourceTest {
    @TempDir
    Path dir;

    @Test
    void aConfiguredTokenIsUsedAsItIs() {
        assertEquals("s3cret", TokenSource.resolve("s3cret", ""));
        assertEquals("", TokenSource.resolve("", ""));
    }

    @Test
    void aTokenFileGivesItsFirstLineTrimmed() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  s3cret \nignored\n");
        assertEquals("s3cret", TokenSource.resolve("", file.toString()));
    }

    @Test
    void badTokenFilesAreClearErrors() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertEquals(ErrorCode.INVALID_VALUE,
                assertThrows(BlazeException.class, () -> TokenSource.resolve("", empty.toString())).code());
        assertEquals(ErrorCode.IO_FAILURE,
                assertThrows(BlazeException.class, () -> TokenSource.resolve("", dir.resolve("missing").toString())).code());
        Path big = Files.writeString(dir.resolve("big"), "x".repeat(TokenSource.MAX_TOKEN_FILE_BYTES + 1));
        assertEquals(ErrorCode.INVALID_VALUE,
                assertThrows(BlazeException.class, () -> TokenSource.resolve("", big.toString())).code());
        Path ok = Files.writeString(dir.resolve("ok"), "t");
        assertEquals(ErrorCode.INVALID_VALUE,
                assertThrows(BlazeException.class, () -> TokenSource.resolve("t", ok.toString())).code());
    }

    @Test
    void aTokenUnderThePublicNameIsRefusedAndThePrivateNameAccepted() {
        BlazeException e = assertThrows(BlazeException.class,
                () -> TokenSource.refusePublished(Map.of("token", "s3cret", "port", 1), "org.blazedb.server"));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
        assertTrue(e.getMessage().contains(".token"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "the refusal must not print the secret: " + e.getMessage());
        TokenSource.refusePublished(Map.of(".token", "s3cret", "token.file", "/x"), "org.blazedb.server");
    }
}
