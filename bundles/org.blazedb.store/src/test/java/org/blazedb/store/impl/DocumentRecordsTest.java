package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeWriter;
import org.blazedb.codec.Limits;
import org.junit.jupiter.api.Test;

/**
 * A document record whose counts or stamp indexes are corrupt is refused with CORRUPT_DATA before
 * anything is allocated for it, never with a JVM exception. Varints are unsigned on disk, so a
 * value of 2^63 or more reads back as a negative {@code long}: those are covered as well as values
 * that are merely too large.
 */
class DocumentRecordsTest {
    private static final NodeId NODE = NodeId.random();
    private static final Hlc STAMP = new Hlc(1, 0, NODE);
    /** One live field, so that the record holds one stamp index for it. */
    private static final MapValue FIELDS = MapValue.builder().put("a", Value.of(1L)).build();

    /**
     * @param flags the record's flags (not the uniform shape unless the tail makes it so)
     * @param tail  writes what follows the fields: stamps, indexes, removed fields, floor, vector
     */
    private static byte[] record(int flags, Consumer<BlazeWriter> tail) {
        BlazeWriter w = new BlazeWriter(64);
        w.writeByte(DocumentRecords.RECORD_VERSION).writeByte(flags);
        w.writeHlc(STAMP);
        w.writeOpId(new OpId(NODE, 1));
        w.writeValue(FIELDS);
        tail.accept(w);
        return w.toByteArray();
    }

    private static void assertCorrupt(byte[] record, String expectedInMessage) {
        BlazeException e = assertThrows(BlazeException.class, () -> DocumentRecords.decodeState(record));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aWellFormedRecordOfTheShapeTheOthersCorruptDecodes() {
        byte[] record = record(0, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(0).writeVarLong(0)
                .writeVersionVector(VersionVector.EMPTY));
        assertEquals(FIELDS, DocumentRecords.decodeState(record).fields());
    }

    @Test
    void aStampCountOf2To64Minus1IsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(-1L)), "stamp count 18446744073709551615");
    }

    @Test
    void aStampCountOf2To63IsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(Long.MIN_VALUE)), "stamp count 9223372036854775808");
    }

    @Test
    void aStampCountPastTheEndOfTheRecordIsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(1000)), "stamp count 1000");
    }

    @Test
    void aFieldsStampIndexOf2To64Minus1IsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(-1L)), "stamp index 18446744073709551615");
    }

    @Test
    void aFieldsStampIndexPastTheStampsIsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(1)), "stamp index 1 is not below its 1 stamps");
    }

    @Test
    void aRemovedFieldCountOf2To64Minus1IsCorruptData() {
        assertCorrupt(record(0, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(0).writeVarLong(-1L)),
                "removed field count 18446744073709551615");
    }

    @Test
    void aFloorStampIndexOf2To64Minus1IsCorruptData() {
        // flag 2 (has floor); the floor's index breaks the uniform shape, so the general decoder reads it
        assertCorrupt(record(2, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(0).writeVarLong(0).writeVarLong(-1L)),
                "stamp index 18446744073709551615");
    }
    /**
     * Fields nested deeper than the codec's limit: from a peer that is LIMIT_EXCEEDED (the sender's
     * excess), from the store's own file a damaged record.
     */
    @Test
    void fieldsOverACodecLimitAreCorruptData() {
        BlazeWriter w = new BlazeWriter(256);
        w.writeByte(DocumentRecords.RECORD_VERSION).writeByte(0);
        w.writeHlc(STAMP);
        w.writeOpId(new OpId(NODE, 1));
        for (int i = 0; i < Limits.MAX_DEPTH + 6; i++) {
            w.writeByte(0xC1); // a list of one element (BlazeBinary's small-list tag), nested
        }
        w.writeByte(0x00); // null, innermost
        assertCorrupt(w.toByteArray(), "A document record is damaged");
    }

    /** A record cut short in its fields: the codec calls such bytes malformed; from disk they are a damaged file. */
    @Test
    void aRecordCutShortInItsFieldsIsCorruptData() {
        byte[] whole = record(0, w -> w.writeVarLong(1).writeHlc(STAMP).writeVarLong(0).writeVarLong(0)
                .writeVersionVector(VersionVector.EMPTY));
        byte[] cut = java.util.Arrays.copyOf(whole, 2 + 12);
        assertCorrupt(cut, "A document record is damaged");
        BlazeException e = assertThrows(BlazeException.class, () -> DocumentRecords.decodeDocument("c", "d", cut));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains("document 'd' in 'c'"), e.getMessage());
    }
}
