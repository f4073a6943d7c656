package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line import cannot take ends it with one error naming the file and the line, after the batches
 * in flight before it, and saying what is imported and durable.
 */
class ImportLineErrorsTest {
    @TempDir
    Path dir;
    private StoreEngine store;
    private BlazeCommands commands;
    private PrintStream stdout;

    @BeforeEach
    void setUp() {
        store = StoreEngine.open(StoreOptions.defaults("default", dir.resolve("db")));
        commands = new BlazeCommands(null, 0);
        commands.addStore(store);
        stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setOut(stdout);
        store.close();
    }

    /** The lenient reading of Gogo's quote-stripped arguments is not for files: a line must be JSON. */
    @Test
    void aLineThatIsNotJsonIsRefusedWithItsLineNumber() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"_id\":\"a\",\"n\":1}\n{_id: b, n: 2, note: not json}\n");

        String message = importFails(in);
        assertTrue(message.startsWith("E106 INVALID_VALUE: in.jsonl line 2: Invalid JSON at column 2: "), message);
        assertTrue(message.endsWith("(0 documents from the lines before line 1 are imported and durable; nothing from line 1 on)"), message);
        assertTrue(store.collection("docs").get("b").isEmpty());
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

    private String importFails(Path in) {
        return assertThrows(BlazeCommands.CommandException.class, () -> commands._import("default", "docs", in.toString())).getMessage();
    }
}
