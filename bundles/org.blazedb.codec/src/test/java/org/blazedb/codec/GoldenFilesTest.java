package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/**
 * Test vectors committed under src/test/resources/golden: if this test fails, the format changed.
 * That needs a new format version (docs/format.md), not new golden files. To write them afresh
 * for a new version: {@code -Dblazedb.golden.write=src/test/resources/golden}.
 */
class GoldenFilesTest {
    static final NodeId ALICE = NodeId.parse("0123456789abcdef0011223344556677");
    static final NodeId BOB = NodeId.parse("fedcba98765432100000000000000001");

    static MapValue userDocument() {
        MapValue address = MapValue.builder().put("city", "Berlin").put("street", "Unter den Linden 5").put("zip", "10117").build();
        MapValue order1 = MapValue.builder().put("sku", "A-100").put("qty", 2).put("price", 19.99).build();
        MapValue order2 = MapValue.builder().put("sku", "B-7").put("qty", 1).put("price", 5.0).build();
        return MapValue.builder()
                .put("id", Value.of(UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e")))
                .put("name", "Ada Lovelace").put("email", "ada@example.org").put("age", 36).put("active", true)
                .put("score", 87.5).put("created", Value.of(Instant.parse("2024-03-01T10:15:30.123Z")))
                .put("tags", ListValue.of(Value.of("admin"), Value.of("beta")))
                .put("address", address).put("orders", ListValue.of(order1, order2))
                .put("avatar", Value.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).put("nickname", Value.nullValue())
                .build();
    }

    static MapValue everyType() {
        List<Value> sixteen = new ArrayList<>();
        MapValue.Builder sixteenKeys = MapValue.builder();
        for (int i = 0; i < 16; i++) {
            sixteen.add(Value.of(i * 1000L - 3000));
            sixteenKeys.put("k" + Integer.toHexString(i), i);
        }
        return MapValue.builder()
                .put("bool", false).put("int.max", Long.MAX_VALUE).put("int.min", Long.MIN_VALUE).put("int.small", 63).put("int.neg", -1)
                .put("float.pi", Math.PI).put("float.neg0", -0.0).put("float.nan", Double.NaN).put("float.inf", Double.NEGATIVE_INFINITY)
                .put("float.dec", -123.456).put("float.int", 1e15)
                .put("str.long", "x".repeat(70)).put("str.unicode", "h\u00e9llo \u4e16\u754c \uD83D\uDE00").put("str.empty", "")
                .put("ts.nanos", Value.of(Instant.ofEpochSecond(-1, 123_456_789))).put("ts.max", Value.of(Instant.MAX))
                .put("ts.ms", Value.of(Instant.parse("2024-03-01T10:15:30.123Z"))).put("ts.ms44max", Value.of(Instant.ofEpochMilli((1L << 44) - 1)))
                .put("ts.ms44", Value.of(Instant.ofEpochMilli(1L << 44))).put("ts.before1970", Value.of(Instant.ofEpochMilli(-1)))
                .put("bytes.empty", Value.of(new byte[0]))
                .put("list16", new ListValue(sixteen)).put("map16", sixteenKeys.build())
                .put("nested", ListValue.of(ListValue.of(MapValue.of(Map.of("\uD83D\uDE00", Value.of(1), "\uFF5E", Value.of(2))))))
                .build();
    }

    static Operation patch() {
        return new Operation(new OpId(ALICE, 42), new Hlc(1_709_288_130_123L, 3, ALICE), "users", "ada",
                OperationKind.PATCH, MapValue.builder().put("age", 37).build(), Operation.unsetOf(Set.of("nickname", "tags")),
                VersionVector.of(Map.of(ALICE, 41L, BOB, 7L)));
    }

    static List<Operation> batch() {
        List<Operation> ops = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ops.add(new Operation(new OpId(BOB, i), new Hlc(1_709_288_130_000L + i, 0, BOB), "users", "user-" + i,
                    OperationKind.PUT, userDocument(), Operation.noUnset(), VersionVector.of(Map.of(BOB, (long) i - 1))));
        }
        ops.add(new Operation(new OpId(BOB, 21), new Hlc(1_709_288_130_100L, 0, BOB), "users", "user-3",
                OperationKind.DELETE, MapValue.EMPTY, Operation.noUnset(), VersionVector.of(Map.of(BOB, 20L))));
        return ops;
    }

    @Test
    void userDocumentMatchesItsTestVector() throws IOException {
        byte[] golden = golden("user-document.bin", BlazeBinary.encodeDocument(userDocument()));
        assertArrayEquals(golden, BlazeBinary.encodeDocument(userDocument()));
        assertEquals(userDocument(), BlazeBinary.decodeDocument(golden));
    }

    @Test
    void everyTypeMatchesItsTestVector() throws IOException {
        byte[] golden = golden("every-type.bin", BlazeBinary.encodeDocument(everyType()));
        assertArrayEquals(golden, BlazeBinary.encodeDocument(everyType()));
        assertEquals(everyType(), BlazeBinary.decodeDocument(golden));
    }

    @Test
    void operationMatchesItsTestVector() throws IOException {
        byte[] golden = golden("patch-operation.bin", BlazeBinary.encodeOperation(patch()));
        assertArrayEquals(golden, BlazeBinary.encodeOperation(patch()));
        assertEquals(patch(), BlazeBinary.decodeOperation(golden));
    }

    @Test
    void batchesMatchTheirTestVectors() throws IOException {
        byte[] raw = golden("batch-raw.bin", BlazeBinary.encodeBatch(batch(), false));
        assertArrayEquals(raw, BlazeBinary.encodeBatch(batch(), false));
        assertEquals(batch(), BlazeBinary.decodeBatch(raw));
        // LZ4 implementations may compress differently, so only decoding is pinned
        byte[] compressed = golden("batch-lz4.bin", BlazeBinary.encodeBatch(batch()));
        assertEquals(Tags.BATCH_LZ4, compressed[1]);
        assertEquals(batch(), BlazeBinary.decodeBatch(compressed));
    }

    private static byte[] golden(String name, byte[] current) throws IOException {
        String dir = System.getProperty("blazedb.golden.write");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name), current);
        }
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "test vector " + name + " is missing");
            return in.readAllBytes();
        }
    }
}
