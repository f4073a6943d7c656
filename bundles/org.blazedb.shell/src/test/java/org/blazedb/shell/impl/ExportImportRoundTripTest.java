package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The JSON lines that get, find and export print read back, through import, as the same documents. */
class ExportImportRoundTripTest {
    /** Fields named like the codec's tags: a map with only one of them is written in a $map escape. */
    private static final List<MapValue> ONLY_FIELD_NAMED_LIKE_A_TAG = List.of(
            MapValue.builder().put("$bytes", "AAAA").build(),
            MapValue.builder().put("$timestamp", "2024-03-01T10:15:30Z").build(),
            MapValue.builder().put("$uuid", "0f8fad5b-d9cb-469f-a165-70867728950e").build(),
            MapValue.builder().put("$float", "NaN").build(),
            MapValue.builder().put("$map", MapValue.builder().put("a", 1).build()).build());

    @TempDir
    Path dir;
    @RegisterExtension
    final ShellFixture shell = new ShellFixture();

    @Test
    void exportThenImportKeepsDocumentsWhoseOnlyFieldIsNamedLikeATag() throws Exception {
        for (int i = 0; i < ONLY_FIELD_NAMED_LIKE_A_TAG.size(); i++) {
            shell.store().collection("docs").put("d" + i, ONLY_FIELD_NAMED_LIKE_A_TAG.get(i));
        }
        Path file = dir.resolve("docs.jsonl");
        shell.commands().export("default", "docs", file.toString());
        shell.commands()._import("default", "copy", file.toString());

        for (int i = 0; i < ONLY_FIELD_NAMED_LIKE_A_TAG.size(); i++) {
            assertEquals(ONLY_FIELD_NAMED_LIKE_A_TAG.get(i), shell.store().collection("copy").get("d" + i).orElseThrow().fields(),
                    "exported lines: " + Files.readAllLines(file));
        }
    }

    @Test
    void getAndFindPrintLinesThatReadBackAsTheSameDocument() throws Exception {
        MapValue onlyBytes = ONLY_FIELD_NAMED_LIKE_A_TAG.get(0);
        shell.store().collection("docs").put("x", onlyBytes);

        assertEquals(onlyBytes, fieldsOf(shell.commands().get("default", "docs", "x"), "x"));
        shell.commands().find("default", "", false, -1, "docs");
        assertEquals(onlyBytes, fieldsOf(shell.printed().strip(), "x"));
    }

    @Test
    void theIdComesFirstAndAnEmptyDocumentIsJustItsId() throws Exception {
        shell.store().collection("docs").put("e", MapValue.builder().build());
        shell.store().collection("docs").put("u", MapValue.builder().put("Upper", 1).put("$dollar", true).build());

        assertEquals("{\"_id\":\"e\"}", shell.commands().get("default", "docs", "e"));
        assertEquals("{\"_id\":\"u\",\"$dollar\":true,\"Upper\":1}", shell.commands().get("default", "docs", "u"));
    }

    /** @return the fields of a JSON line after checking that its "_id" is the expected id */
    private static MapValue fieldsOf(String line, String id) {
        TreeMap<String, Value> fields = new TreeMap<>(JsonCodec.parseDocument(line).entries());
        assertEquals(Value.of(id), fields.remove(JsonLines.ID_FIELD), line);
        return MapValue.of(fields);
    }

    @Test
    void putAndPatchDropAnIdEqualToTheirIdSoThatAPrintedLineCanBePastedBack() throws Exception {
        String line = shell.commands().put("default", "docs", "x", "{\"_id\":\"x\",\"a\":1}");
        assertEquals("{\"_id\":\"x\",\"a\":1}", line);
        assertEquals(line, shell.commands().put("default", "docs", "x", line));
        assertEquals("{\"_id\":\"x\",\"a\":2}", shell.commands().patch("default", "", "docs", "x", "{\"_id\":\"x\",\"a\":2}"));
        assertEquals(MapValue.builder().put("a", 2).build(), shell.store().collection("docs").get("x").orElseThrow().fields());
    }

    @Test
    void putAndPatchRefuseAnIdOtherThanTheirId() throws Exception {
        shell.commands().put("default", "docs", "x", "{\"a\":1}");

        for (Exception e : List.of(
                assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().put("default", "docs", "x", "{\"_id\":\"other\",\"a\":2}")),
                assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().patch("default", "", "docs", "x", "{\"_id\":\"other\"}")))) {
            assertTrue(e.getMessage().startsWith("E106 INVALID_VALUE: The JSON holds \"_id\":\"other\", but the document id is 'x'"),
                    e.getMessage());
        }
        assertEquals(MapValue.builder().put("a", 1).build(), shell.store().collection("docs").get("x").orElseThrow().fields());
    }

    /**
     * A field "_id" (written through the Java API or by a peer) has no JSON line: the export stops
     * before it with whole lines only, and says how to rename the field; renamed, it round-trips.
     */
    @Test
    void exportStopsBeforeADocumentWithAnIdFieldAndSaysHowToRenameIt() throws Exception {
        shell.store().collection("docs").put("a", MapValue.builder().put("n", 1).build());
        shell.store().collection("docs").put("b", MapValue.builder().put("_id", "other").put("n", 2).build());
        shell.store().collection("docs").put("c", MapValue.builder().put("n", 3).build());
        Path file = dir.resolve("docs.jsonl");

        Exception e = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().export("default", "docs", file.toString()));
        assertTrue(e.getMessage().startsWith("E106 INVALID_VALUE: Document 'b' in collection 'docs' has a field named \"_id\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("Rename the field: blaze:patch -u _id docs b '{\"old_id\":\"other\"}', then export again"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("documents written to " + file + " before it: 1)"), e.getMessage());
        assertEquals(List.of("{\"_id\":\"a\",\"n\":1}"), Files.readAllLines(file));
        Exception shown = assertThrows(BlazeCommands.CommandException.class, () -> shell.commands().get("default", "docs", "b"));
        assertTrue(shown.getMessage().contains("blaze:patch -u _id docs b"), shown.getMessage());

        shell.commands().patch("default", "_id", "docs", "b", "{\"old_id\":\"other\"}");
        shell.commands().export("default", "docs", file.toString());
        shell.commands()._import("default", "copy", file.toString());
        assertEquals(MapValue.builder().put("old_id", "other").put("n", 2).build(), shell.store().collection("copy").get("b").orElseThrow().fields());
        assertEquals(3, shell.store().collection("copy").count());
    }

    @Test
    void patchOfADocumentWithAnIdFieldSaysItIsDoneAndHowToRenameTheField() throws Exception {
        shell.store().collection("docs").put("b", MapValue.builder().put("_id", "other").build());

        String done = shell.commands().patch("default", "", "docs", "b", "{\"n\":1}");
        assertTrue(done.startsWith("patched docs/b; Document 'b' in collection 'docs' has a field named \"_id\""), done);
        assertFalse(done.contains("\n"), done);
        assertEquals(MapValue.builder().put("_id", "other").put("n", 1).build(), shell.store().collection("docs").get("b").orElseThrow().fields());
    }
}
