package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.junit.jupiter.api.Test;

class OutgoingBatchTest {
    private static final NodeId A = new NodeId(1, 2);
    private static final NodeId B = new NodeId(3, 4);
    private final BlazeBinaryOperationsCodec codec = new BlazeBinaryOperationsCodec();

    private static Operation put(NodeId origin, long seq) {
        MapValue fields = MapValue.builder().put("n", Value.of(seq)).put("name", Value.of("doc " + seq)).build();
        return new Operation(new OpId(origin, seq), new Hlc(1_700_000_000_000L + seq, 0, origin), "c", "d" + seq,
                OperationKind.PUT, fields, Operation.noUnset(), VersionVector.EMPTY);
    }

    private static EncodedOperation encoded(Operation op) {
        byte[] bytes = BlazeBinary.encodeOperation(op);
        byte[] padded = new byte[bytes.length + 10]; // an offset and trailing bytes, as in a shared array
        System.arraycopy(bytes, 1, padded, 7, bytes.length - 1);
        return new EncodedOperation(op.id(), padded, 7, bytes.length - 1);
    }

    @Test
    void encodedAndDecodedOperationsMakeTheBatchTheOperationsWouldMake() {
        List<Operation> ops = new ArrayList<>();
        OutgoingBatch batch = new OutgoingBatch();
        for (int i = 1; i <= 300; i++) {
            Operation op = put(i % 7 == 0 ? B : A, i); // runs of A broken by single Bs
            ops.add(op);
            if (i % 3 == 0) {
                batch.add(op); // as the live path adds them
            } else {
                batch.add(encoded(op)); // as the log scan adds them
            }
        }
        assertEquals(300, batch.count());
        ByteBuffer payload = codec.encode(batch);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        assertArrayEquals(BlazeBinary.encodeBatch(ops), bytes, "the same bytes, LZ4 included");
        assertEquals(ops, BlazeBinary.decodeBatch(bytes));
        assertEquals(VersionVector.of(Map.of(A, 300L, B, 294L)), batch.lastOf());
        assertEquals(Vectors.lastOf(ops), batch.lastOf());
    }

    @Test
    void clearingStartsAnEmptyBatch() {
        OutgoingBatch batch = new OutgoingBatch();
        batch.add(encoded(put(A, 1)));
        batch.clear();
        assertTrue(batch.isEmpty());
        assertEquals(0, batch.bytes());
        assertEquals(VersionVector.EMPTY, batch.lastOf());
        batch.add(put(B, 5));
        assertEquals(VersionVector.of(Map.of(B, 5L)), batch.lastOf());
        byte[] bytes = new byte[codec.encode(batch).remaining()];
        codec.encode(batch).get(bytes);
        assertEquals(List.of(put(B, 5)), BlazeBinary.decodeBatch(bytes));
    }
}
