package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintPinsTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void trustOnFirstUseSavesTheFingerprintAndEnforcesItAfterRestart() throws Exception {
        Path file = dir.resolve("known-servers");
        FingerprintPins pins = FingerprintPins.trustOnFirstUse(file, Map.of());
        pins.check("127.0.0.1:7700", A);
        pins.check("127.0.0.1:7700", A);
        assertTrue(Files.readString(file).contains("127.0.0.1:7700 " + A));

        FingerprintPins restarted = FingerprintPins.trustOnFirstUse(file, Map.of());
        assertEquals(Optional.of(A), restarted.pinned("127.0.0.1:7700"));
        BlazeException changed = assertThrows(BlazeException.class, () -> restarted.check("127.0.0.1:7700", B));
        assertEquals(ErrorCode.CERTIFICATE_MISMATCH, changed.code());
        assertTrue(changed.getMessage().contains(A) && changed.getMessage().contains(B), changed.getMessage());
        restarted.check("127.0.0.1:7701", B); // another server is learned independently
    }

    @Test
    void aFirstUsePinThatCannotBeSavedIsNotLearnedAndTheConnectionIsRefused() throws Exception {
        // The pin file's folder cannot be created: a regular file is in its way (works as root too,
        // where a read-only folder would not stop the save).
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "");
        Path file = blocker.resolve("known-servers");
        FingerprintPins pins = FingerprintPins.trustOnFirstUse(file, Map.of());
        BlazeException e = assertThrows(BlazeException.class, () -> pins.check("127.0.0.1:7700", A));
        assertEquals(ErrorCode.IO_FAILURE, e.code());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("refused"), e.getMessage());
        assertEquals(Optional.empty(), pins.pinned("127.0.0.1:7700"), "a pin that was not saved is not enforced either");
        assertEquals(Map.of(), pins.all());

        Files.delete(blocker);
        pins.check("127.0.0.1:7700", B); // once the file can be written, the server seen then is learned and saved
        assertEquals(Optional.of(B), FingerprintPins.trustOnFirstUse(file, Map.of()).pinned("127.0.0.1:7700"));
    }

    @Test
    void everyPinIsListedWithItsOrigin() {
        FingerprintPins pins = FingerprintPins.trustOnFirstUse(dir.resolve("known-servers"), Map.of("h:1", A, "h:2", A));
        pins.check("h:3", B);
        assertEquals(Map.of("h:1", A, "h:2", A, "h:3", B), pins.all());
        assertTrue(pins.isConfigured("h:1"));
        assertTrue(!pins.isConfigured("h:3"), "learned on first use, not configured");
    }

    @Test
    void configuredPinWinsAndAcceptsColonSeparatedUpperCase() {
        String colons = A.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        FingerprintPins pins = FingerprintPins.configured(Map.of("h:1", colons));
        pins.check("h:1", A);
        BlazeException e = assertThrows(BlazeException.class, () -> pins.check("h:1", B));
        assertEquals(ErrorCode.CERTIFICATE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("in the configuration"), e.getMessage());
        BlazeException unknown = assertThrows(BlazeException.class, () -> pins.check("h:2", A));
        assertEquals(ErrorCode.CERTIFICATE_MISMATCH, unknown.code());
    }

    @Test
    void malformedFileIsReported() throws Exception {
        Path file = dir.resolve("known-servers");
        Files.writeString(file, "# comment\nh:1 not-a-fingerprint\n");
        BlazeException e = assertThrows(BlazeException.class, () -> FingerprintPins.trustOnFirstUse(file, Map.of()));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
