package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.codec.BlazeWriter;
import org.junit.jupiter.api.Test;

/**
 * Catalog records read back as written; a corrupt count or index number is CORRUPT_DATA, never a
 * negative count or a number cut down to another index's.
 */
class CollectionInfoTest {
    private static byte[] record(Consumer<BlazeWriter> body) {
        BlazeWriter w = new BlazeWriter(32);
        w.writeByte(1);
        body.accept(w);
        return w.toByteArray();
    }

    private static void assertCorrupt(byte[] record, String expectedInMessage) {
        BlazeException e = assertThrows(BlazeException.class, () -> CollectionInfo.decode(record));
        assertEquals(ErrorCode.CORRUPT_DATA, e.code(), e::toString);
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void aRecordReadsBackAsWritten() {
        CollectionInfo info = CollectionInfo.EMPTY.withLive(7).withIndex("a", 1).withIndex("b", Integer.MAX_VALUE);
        assertEquals(info, CollectionInfo.decode(info.encode()));
    }

    @Test
    void aLiveCountOf2To64Minus1IsCorruptData() {
        assertCorrupt(record(w -> w.writeVarLong(-1L).writeVarLong(0)), "live document count 18446744073709551615");
    }

    @Test
    void anIndexCountOf2To64Minus1IsCorruptData() {
        assertCorrupt(record(w -> w.writeVarLong(0).writeVarLong(-1L)), "index count 18446744073709551615");
    }

    @Test
    void anIndexNumberBeyondAnIntIsCorruptData() {
        // (int) of 2^32 + 1 is 1: without the check, the field would read index 1's map
        assertCorrupt(record(w -> w.writeVarLong(0).writeVarLong(1).writeString("a").writeVarLong((1L << 32) + 1)),
                "index number 4294967297 of field 'a'");
    }

    @Test
    void anIndexNumberOfZeroIsCorruptData() {
        assertCorrupt(record(w -> w.writeVarLong(0).writeVarLong(1).writeString("a").writeVarLong(0)), "index number 0");
    }
}
