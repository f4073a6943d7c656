package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blazedb.api.Filter;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BlazeCommandsTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final ShellFixture shell = new ShellFixture();

    @Test
    void putGetPatchFindCountDelete() throws Exception {
        assertEquals("{\"_id\":\"n1\",\"t\":\"hi\"}", shell.commands().put("default", "notes", "n1", "{\"t\":\"hi\"}"));
        assertEquals("{\"_id\":\"n1\",\"t\":\"hi\"}", shell.commands().get("default", "notes", "n1"));
        shell.commands().put("default", "notes", "n2", "{\"t\":\"yo\",\"n\":3}");
        assertEquals("{\"_id\":\"n2\",\"n\":3,\"x\":true}", shell.commands().patch("default", "t", "notes", "n2", "{\"x\":true}"));
        assertEquals("1 document", shell.commands().find("default", "", false, -1, "notes", "n>=2"));
        assertEquals("{\"_id\":\"n2\",\"n\":3,\"x\":true}", shell.printed().strip());
        assertEquals("2 documents", shell.commands().find("default", "", false, -1, "notes"));
        shell.printed();
        assertEquals(2, shell.commands().count("default", "notes"));
        assertTrue(shell.commands().collections("default").contains("notes"));
        shell.commands().get("default", "notes", "n1");
        String cache = shell.commands().cache("default");
        assertTrue(cache.contains("document cache  1 documents") || cache.contains("document cache  2 documents"), cache);
        assertTrue(cache.matches("(?s).*reads +[0-9,]+: [1-9][0-9,]* hits.*"), cache);
        assertTrue(cache.matches("(?s)document cache  [12] documents, [1-9][0-9,]* of .*"), "a cache holding documents never shows 0 KiB: " + cache);
        assertEquals("deleted notes/n1", shell.commands().del("default", "notes", "n1"));
        assertEquals(1, shell.commands().count("default", "notes"));
    }

    @Test
    void errorsAreOneLineWithTheirCode() {
        Exception e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().get("default", "nope", "x"));
        assertTrue(e.getMessage().startsWith("E104 NOT_FOUND: Unknown collection 'nope'"), e.getMessage());
        e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().get("other", "nope", "x"));
        assertTrue(e.getMessage().contains("No store named 'other'"), e.getMessage());
        e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().put("default", "bad name", "x", "{}"));
        assertTrue(e.getMessage().startsWith("E102 INVALID_COLLECTION"), e.getMessage());
        e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().put("default", "c", "x", "[1]"));
        assertTrue(e.getMessage().startsWith("E106"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void importThenExportRoundTripsWithARate() throws Exception {
        Path in = dir.resolve("in.jsonl");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            b.append("{\"_id\":\"d").append(i).append("\",\"i\":").append(i).append(",\"s\":\"text ").append(i).append("\"}\n");
        }
        Files.writeString(in, b);
        String imported = shell.commands()._import("default", "docs", in.toString());
        assertTrue(imported.matches("imported 2,500 documents in [0-9.]+ s \\([0-9,]+ docs/s\\)"), imported);
        assertEquals(2500, shell.commands().count("default", "docs"));
        Path out = dir.resolve("out.jsonl");
        String exported = shell.commands().export("default", "docs", out.toString());
        assertTrue(exported.startsWith("exported 2,500 documents"), exported);
        List<String> lines = Files.readAllLines(out);
        assertEquals(2500, lines.size());
        assertEquals(new java.util.TreeSet<>(b.toString().lines().toList()), new java.util.TreeSet<>(lines));
    }

    /**
     * The batches in flight before a bad line are waited for and counted; the message says what is
     * imported and durable and that nothing from the bad line's batch on is.
     */
    @Test
    void aBadLineStopsTheImportAndSaysWhatIsDurable() throws Exception {
        Path in = dir.resolve("bad.jsonl");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4500; i++) {
            b.append("{\"_id\":\"d").append(i).append("\",\"i\":").append(i).append("}\n");
        }
        b.append("{\"i\":4500}\n");
        Files.writeString(in, b);
        Exception e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands()._import("default", "docs", in.toString()));
        assertEquals("E101 INVALID_ID: bad.jsonl line 4501: each object needs a string \"_id\" (4000 documents from the lines before "
                + "line 4001 are imported and durable; nothing from line 4001 on)", e.getMessage());
        assertEquals(4000, shell.commands().count("default", "docs"));
    }

    /**
     * A batch that fails in the store (a document over the size limit) ends the import; the batches
     * that were in flight after it are waited for, and the message counts what is durable on both sides.
     */
    @Test
    void aFailedBatchStopsTheImportAndCountsWhatIsDurableAroundIt() throws Exception {
        Path in = dir.resolve("big.jsonl");
        String nineMegabytes = "x".repeat(9 << 20);
        try (var out = Files.newBufferedWriter(in)) {
            for (int i = 0; i < 4500; i++) {
                out.write(i == 1500 ? "{\"_id\":\"d1500\",\"a\":\"" + nineMegabytes + "\",\"b\":\"" + nineMegabytes + "\"}\n"
                        : "{\"_id\":\"d" + i + "\",\"i\":" + i + "}\n");
            }
        }
        Exception e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands()._import("default", "docs", in.toString()));
        // batches of 1,000, 4 in flight: the second fails alone; the third, fourth and the last 500 were in flight after it
        assertTrue(e.getMessage().startsWith("E103 DOCUMENT_TOO_LARGE: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(the import stopped at a failed batch: 1000 documents before it are imported and durable, "
                + "and 2500 of the batches that were in flight after it)"), e.getMessage());
        assertEquals(3500, shell.commands().count("default", "docs"));
    }

    @Test
    void aFlatObjectWhoseQuotesGogoRemovedIsReadLeniently() {
        assertEquals(org.blazedb.api.value.MapValue.builder().put("t", "hi").put("n", 3).put("ok", true).build(),
                Expressions.document("{t:hi, n:3, ok:true}"));
        assertThrows(org.blazedb.api.BlazeException.class, () -> Expressions.document("{t:[1}"));
    }

    @Test
    void filtersParseEveryOperator() {
        assertEquals(Filter.gte("n", Value.of(2)), Expressions.filter("n>=2"));
        assertEquals(Filter.lt("n", Value.of(2.5)), Expressions.filter("n<2.5"));
        assertEquals(Filter.eq("name", Value.of("Ann")), Expressions.filter("name=Ann"));
        assertEquals(Filter.eq("name", Value.of("Ann")), Expressions.filter("name=\"Ann\""));
        assertEquals(Filter.gt("n", Value.of(1)), Expressions.filter("n.gt=1"));
        assertEquals(Filter.lte("n", Value.of(1)), Expressions.filter("n.lte=1"));
    }
}
