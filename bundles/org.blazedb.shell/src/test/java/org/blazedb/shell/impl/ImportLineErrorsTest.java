package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line import cannot take ends it with one error naming the file and the line, after the batches
 * in flight before it, and saying what is imported and durable.
 */
class ImportLineErrorsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final ShellFixture shell = new ShellFixture();

    /** The lenient reading of Gogo's quote-stripped arguments is not for files: a line must be JSON. */
    @Test
    void aLineThatIsNotJsonIsRefusedWithItsLineNumber() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"_id\":\"a\",\"n\":1}\n{_id: b, n: 2, note: not json}\n");

        String message = importFails(in);
        assertTrue(message.startsWith("E106 INVALID_VALUE: in.jsonl line 2: Invalid JSON at column 2: "), message);
        assertTrue(message.endsWith("(0 documents from the lines before line 1 are imported and durable; nothing from line 1 on)"), message);
        assertTrue(shell.store().collection("docs").get("b").isEmpty());
    }

    @Test
    void aLineHoldingSomethingOtherThanOneObjectIsRefusedWithItsLineNumber() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"_id\":\"a\"}\n\n{\"_id\":\"b\"} {\"_id\":\"c\"}\n");
        assertTrue(importFails(in).startsWith("E106 INVALID_VALUE: in.jsonl line 3: Invalid JSON at column "), importFails(in));

        Files.writeString(in, "[{\"_id\":\"a\"}]\n");
        assertEquals("E106 INVALID_VALUE: in.jsonl line 1: A document must be a JSON object, got a LIST (0 documents from the lines "
                + "before line 1 are imported and durable; nothing from line 1 on)", importFails(in));
    }

    /**
     * An id the store would refuse (empty, over 512 bytes) is reported with its line; the batches
     * before it stay imported, where the store would have failed the whole batch.
     */
    @Test
    void anIdTheStoreWouldRefuseIsReportedWithItsLineNumber() throws Exception {
        String[][] badIds = {
            {"\"\"", "A document id cannot be empty"},
            {"\"" + "é".repeat(257) + "\"", "Document id of 514 bytes is longer than the limit of 512 UTF-8 bytes: use a shorter id"}};
        for (String[] bad : badIds) {
            Path in = dir.resolve("in.jsonl");
            Files.writeString(in, goodLines(2500) + "{\"_id\":" + bad[0] + "}\n");
            String collection = "docs" + shell.store().collectionNames().size();

            String message = assertThrows(BlazeCommands.CommandException.class,
                    () -> shell.commands()._import("default", collection, in.toString())).getMessage();
            assertEquals("E101 INVALID_ID: in.jsonl line 2501: " + bad[1] + " (2000 documents from the lines before line 2001 are "
                    + "imported and durable; nothing from line 2001 on)", message);
            assertEquals(2000, shell.store().collection(collection).count());
        }
    }

    /**
     * Text holding half a surrogate pair (which JSON can escape and UTF-8 cannot store), in a
     * field's value or in the id, is reported with its line; in a value it used to fail the whole
     * batch in the store, with no line.
     */
    @Test
    void anUnpairedSurrogateIsReportedWithItsLineNumber() throws Exception {
        for (String line : new String[] {"{\"_id\":\"x\",\"s\":\"a\\ud800b\"}", "{\"_id\":\"a\\ud800b\"}"}) {
            Path in = dir.resolve("in.jsonl");
            Files.writeString(in, goodLines(2500) + line + "\n");
            String collection = "docs" + shell.store().collectionNames().size();

            String message = assertThrows(BlazeCommands.CommandException.class,
                    () -> shell.commands()._import("default", collection, in.toString())).getMessage();
            assertTrue(message.startsWith("E106 INVALID_VALUE: in.jsonl line 2501: "), message);
            assertTrue(message.contains("holds an unpaired surrogate (\\ud800)"), message);
            assertEquals(2000, shell.store().collection(collection).count());
        }
    }

    /** A decoder reading ahead would fail an earlier line: the error names the line with the bad bytes. */
    @Test
    void invalidUtf8IsReportedWithItsLineNumber() throws Exception {
        Path in = dir.resolve("in.jsonl");
        try (var out = Files.newOutputStream(in)) {
            out.write(goodLines(1500).getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'{', '"', '_', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'});
            out.write(goodLines(10).getBytes(StandardCharsets.UTF_8));
        }

        assertEquals("E106 INVALID_VALUE: in.jsonl line 1501: not valid UTF-8 text (Input length = 1): save the file as UTF-8 "
                + "(1000 documents from the lines before line 1001 are imported and durable; nothing from line 1001 on)", importFails(in));
        assertEquals(1000, shell.store().collection("docs").count());
    }

    /** A read that fails (here: the "file" is a directory) is an IO_FAILURE naming the line it was reading. */
    @Test
    void aReadErrorIsReportedWithTheLineBeingRead() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.jsonl"));

        String message = importFails(folder);
        assertTrue(message.startsWith("E206 IO_FAILURE: folder.jsonl line 1: cannot read the file: "), message);
        assertTrue(message.endsWith("(0 documents from the lines before line 1 are imported and durable; nothing from line 1 on)"), message);
    }

    /** A line longer than import reads (a file with no line ends, say) is refused with its number. */
    @Test
    void aLineOverTheLengthLimitIsReportedWithItsLineNumber() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, goodLines(1500) + "{\"_id\":\"long\",\"s\":\"" + "x".repeat(200) + "\"}\n" + goodLines(10));

        JsonLinesImport longLines = new JsonLinesImport(shell.store(), "docs", in, new Progress(System.out, "imported", 0), 100);
        BlazeException e = assertThrows(BlazeException.class, longLines::run);
        assertEquals(ErrorCode.DOCUMENT_TOO_LARGE, e.code());
        assertEquals("in.jsonl line 1501: the line is longer than 100 bytes, the longest import reads (a document "
                + "is limited to 16,777,216 bytes in the store): is the file JSON lines, one document per line? (1000 documents from the "
                + "lines before line 1001 are imported and durable; nothing from line 1001 on)", e.getMessage());
        assertEquals(1000, shell.store().collection("docs").count());
    }

    /** The error of an import that drew its progress bar is printed on a line of its own, the bar wiped. */
    @Test
    void aFailedImportWipesItsProgressBar() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, goodLines(3000) + "not json\n");
        shell.commands().progressRedrawNanos = 0;

        importFails(in);
        String printed = shell.printed();
        assertTrue(printed.startsWith("\r["), printed);
        assertTrue(printed.endsWith("\r" + " ".repeat(70) + "\r"), printed);
    }

    /** @return {@code n} lines of valid documents with ids d0, d1, ... */
    private static String goodLines(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"_id\":\"d").append(i).append("\",\"i\":").append(i).append("}\n");
        }
        return b.toString();
    }

    private String importFails(Path in) {
        return assertThrows(BlazeCommands.CommandException.class, () -> shell.commands()._import("default", "docs", in.toString())).getMessage();
    }
}
