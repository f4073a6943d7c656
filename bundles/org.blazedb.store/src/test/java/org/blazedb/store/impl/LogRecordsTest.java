package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Random;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** A put's log record built from its document record's field bytes is the operation's own encoding. */
class LogRecordsTest {
    @Test
    void aPutRecordCopyingTheDocumentsFieldsIsByteForByteTheEncodedOperation() {
        Random random = new Random(7);
        NodeId node = new NodeId(0x1234_5678_9abc_def0L, -5);
        for (int i = 0; i < 500; i++) {
            MapValue.Builder b = MapValue.builder();
            int n = random.nextInt(6);
            for (int k = 0; k < n; k++) {
                String key = List.of("a", "title", "ü", "\uD83D\uDE00", "n", "body").get(random.nextInt(6));
                Value v = switch (random.nextInt(4)) {
                    case 0 -> Value.of(random.nextLong());
                    case 1 -> Value.of("text " + random.nextInt() + " é");
                    case 2 -> Value.of(random.nextBoolean());
                    default -> MapValue.builder().put("inner", Value.of(random.nextDouble())).put("title", Value.of(k)).build();
                };
                b.put(key, v);
            }
            VersionVector context = random.nextBoolean() ? VersionVector.EMPTY : VersionVector.EMPTY.with(node, i + 1L);
            Operation put = new Operation(new OpId(node, i + 2L), new Hlc(1_700_000_000_000L + random.nextInt(1000), random.nextInt(3), node),
                    "coll-" + random.nextInt(3), "id-" + i + (random.nextBoolean() ? "-ß" : ""), OperationKind.PUT, b.build(),
                    Operation.noUnset(), context);
            DocState state = DocState.empty();
            state.apply(put);
            int[] fieldsAt = new int[2];
            org.blazedb.codec.BlazeWriter scratch = new org.blazedb.codec.BlazeWriter(16);
            byte[] record = DocumentRecords.encode(state, put.collection(), put.documentId(), fieldsAt, scratch);
            byte[] logRecord = LogRecords.encodePut(put, record, fieldsAt[0], fieldsAt[1], scratch);
            assertArrayEquals(LogRecords.encode(put), logRecord, "operation " + i);
            assertEquals(put, LogRecords.decode(1, logRecord));
        }
    }

    /**
     * A local put that creates a document takes a shorter path (no operation built, the state made
     * directly): its log and document records are exactly those of the operation the log holds, and
     * of the state that operation gives an empty document; the same for a batch large enough for
     * the field encoder, for puts that replace a document and for a put after a delete.
     */
    @Test
    void theRecordsOfCreatedDocumentsAreThoseOfTheirOperations(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (StoreEngine s = StoreEngine.open(StoreOptions.defaults("t", dir))) {
            org.blazedb.api.WriteBatch batch = new org.blazedb.api.WriteBatch();
            for (int i = 0; i < 300; i++) {
                batch.put("c", "id-" + (1000 + i), StoreEngineTest.doc("n", i, "s", "v" + i));
            }
            batch.put("c", "id-0500", StoreEngineTest.doc("smaller", true)); // not appended: read, absent
            s.write(batch);
            s.collection("c").put("id-1000", StoreEngineTest.doc("replaced", 1)); // over a live document
            s.collection("c").delete("id-1001");
            s.collection("c").put("id-1001", StoreEngineTest.doc("again", 2)); // over a tombstone
            s.collection("d").put("x", MapValue.EMPTY);
            java.util.Map<String, DocState> states = new java.util.HashMap<>();
            for (java.util.Iterator<Long> i = s.files.log.keyIterator(null); i.hasNext(); ) {
                long position = i.next();
                byte[] record = s.files.log.get(position);
                Operation op = LogRecords.decode(position, record);
                assertArrayEquals(LogRecords.encode(op), record, "log record at " + position);
                DocState state = states.computeIfAbsent(op.collection() + "/" + op.documentId(), k -> DocState.empty());
                state.apply(op);
            }
            states.forEach((key, state) -> {
                String[] parts = key.split("/");
                assertArrayEquals(DocumentRecords.encode(state, parts[0], parts[1]), s.files.docs(parts[0], false).get(parts[1]), key);
            });
            assertEquals(302, states.size(), "every document checked: the batch's 301 and d/x");
        }
    }
    /** A log record cut short or emptied on disk is a damaged file (CORRUPT_DATA), not a peer's malformed bytes. */
    @Test
    void aDamagedLogRecordIsCorruptData() {
        NodeId node = NodeId.random();
        Operation op = new Operation(new OpId(node, 7), new Hlc(1, 0, node), "c", "d", OperationKind.PUT,
                MapValue.builder().put("title", Value.of("a title long enough to cut")).build(), Operation.noUnset(), VersionVector.EMPTY);
        byte[] record = LogRecords.encode(op);
        assertEquals(op, LogRecords.decode(3, record));
        for (byte[] damaged : List.of(java.util.Arrays.copyOf(record, record.length - 5), java.util.Arrays.copyOf(record, 3), new byte[0])) {
            org.blazedb.api.BlazeException e = assertThrows(org.blazedb.api.BlazeException.class, () -> LogRecords.decode(3, damaged));
            assertEquals(org.blazedb.api.ErrorCode.CORRUPT_DATA, e.code(), e::toString);
            assertTrue(e.getMessage().contains("position 3"), e.getMessage());
        }
    }
}
