package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/**
 * The uniform form of {@link DocState} (a put with nothing written after it, kept without a register
 * map) must be indistinguishable from the register map it stands for: the same record bytes, the
 * same state after any further operation, the same record after a decode.
 */
class DocStateTest {
    private static final NodeId[] NODES = {new NodeId(1, 1), new NodeId(2, 2), new NodeId(3, 3)};
    private static final String[] FIELDS = {"a", "b", "c", "d"};

    @Test
    void aPutWithNothingAfterItIsKeptUniformAndEncodesLikeItsRegisters() {
        DocState s = DocState.empty();
        s.apply(op(NODES[0], 1, 10, OperationKind.PUT, MapValue.builder().put("x", 1L).put("y", "z").build(), List.of()));
        assertNotNull(s.uniformFields(), "a put on a new document needs no register map");
        byte[] uniform = DocumentRecords.encode(s, "c", "id");
        DocState materialised = s.copy();
        materialised.registers(); // builds the map the uniform form implies
        assertNull(materialised.uniformFields());
        assertArrayEquals(uniform, DocumentRecords.encode(materialised, "c", "id"));
        DocState decoded = DocumentRecords.decodeState(uniform);
        assertNotNull(decoded.uniformFields(), "a decoded put stays uniform");
        assertTrue(decoded.sameAs(materialised));
    }

    @Test
    void randomHistoriesGiveTheSameRecordsAndStatesUniformOrNot() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            DocState fast = DocState.empty();
            DocState slow = DocState.empty();
            slow.registers(); // always a register map: the form the uniform one must match
            long wall = 100;
            int[] sequence = new int[NODES.length];
            for (int step = 0; step < 12; step++) {
                int n = random.nextInt(NODES.length);
                wall += random.nextInt(5) - 1; // sometimes older than what came before
                Operation op = randomOp(random, NODES[n], ++sequence[n], wall);
                fast.apply(op);
                slow.apply(op);
                if (slow.uniformFields() != null) {
                    slow.registers();
                }
                String where = "seed " + seed + " step " + step + " " + op;
                byte[] a = DocumentRecords.encode(fast, "c", "id");
                byte[] b = DocumentRecords.encode(slow, "c", "id");
                assertArrayEquals(b, a, where + ": " + HexFormat.of().formatHex(a) + " vs " + HexFormat.of().formatHex(b));
                assertTrue(fast.sameAs(slow), where);
                assertEquals(slow.live(), fast.live(), where);
                assertEquals(slow.fields(), fast.fields(), where);
                assertEquals(slow.toDocument("c", "id"), fast.toDocument("c", "id"), where);
                DocState decoded = DocumentRecords.decodeState(a);
                assertArrayEquals(a, DocumentRecords.encode(decoded, "c", "id"), where);
                assertTrue(decoded.sameAs(slow), where);
                // continue from the decoded state half of the time, as a writer reading it back would
                if (random.nextBoolean()) {
                    fast = decoded;
                }
            }
        }
    }

    /**
     * A document created by a put ({@link DocState#created}: no operation applied, its vector held
     * as one entry) is the state the put gives an empty one, and stays so through any history after
     * it: the same records (the one-entry vector written as the vector would be), states and documents.
     */
    @Test
    void aCreatedStateIsWhatItsPutGivesAnEmptyStateThroughAnyHistoryAfterIt() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            int[] sequence = new int[NODES.length];
            long wall = 100;
            int first = random.nextInt(NODES.length);
            Operation put = op(NODES[first], ++sequence[first], wall, OperationKind.PUT, fields(random), List.of());
            DocState created = DocState.created(put.fields(), put.stamp(), put.id());
            DocState applied = DocState.empty();
            applied.apply(put);
            for (int step = 0; step < 12; step++) {
                String where = "seed " + seed + " step " + step;
                byte[] a = DocumentRecords.encode(created, "c", "id");
                byte[] b = DocumentRecords.encode(applied, "c", "id");
                assertArrayEquals(b, a, where + ": " + HexFormat.of().formatHex(a) + " vs " + HexFormat.of().formatHex(b));
                assertTrue(created.sameAs(applied), where);
                assertEquals(applied.toDocument("c", "id"), created.toDocument("c", "id"), where);
                assertEquals(applied.vector(), created.copy().vector(), where);
                int n = random.nextInt(NODES.length);
                wall += random.nextInt(5) - 1;
                Operation op = randomOp(random, NODES[n], ++sequence[n], wall);
                created.apply(op);
                applied.apply(op);
            }
        }
    }

    private static Operation randomOp(Random random, NodeId node, long sequence, long wall) {
        int dice = random.nextInt(10);
        if (dice < 4) {
            return op(node, sequence, wall, OperationKind.PUT, fields(random), List.of());
        }
        if (dice < 8) {
            List<String> unset = new ArrayList<>();
            for (String f : FIELDS) {
                if (random.nextInt(4) == 0) {
                    unset.add(f);
                }
            }
            MapValue set = fields(random);
            MapValue.Builder b = MapValue.builder();
            set.entries().forEach((k, v) -> {
                if (!unset.contains(k)) {
                    b.put(k, v);
                }
            });
            return op(node, sequence, wall, OperationKind.PATCH, b.build(), unset);
        }
        return op(node, sequence, wall, OperationKind.DELETE, MapValue.EMPTY, List.of());
    }

    private static MapValue fields(Random random) {
        MapValue.Builder b = MapValue.builder();
        for (String f : FIELDS) {
            if (random.nextBoolean()) {
                b.put(f, Value.of((long) random.nextInt(100)));
            }
        }
        return b.build();
    }

    private static Operation op(NodeId node, long sequence, long wall, OperationKind kind, MapValue fields, List<String> unset) {
        TreeSet<String> u = new TreeSet<>(Value.KEY_ORDER);
        u.addAll(unset);
        return new Operation(new OpId(node, sequence), new Hlc(wall, 0, node), "c", "id", kind, fields, u, VersionVector.EMPTY);
    }
}
