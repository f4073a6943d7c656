package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** What other bundles use for their own records: every write has its read. */
class ReaderWriterTest {
    @Test
    void primitivesRoundTripInOrder() {
        NodeId node = new NodeId(0x0102030405060708L, -2);
        BlazeWriter w = new BlazeWriter(1);
        w.writeByte(0xAB).writeVarLong(0).writeVarLong(-1L).writeZigZagLong(Long.MIN_VALUE).writeFixed64(0x0102030405060708L)
                .writeDouble(-0.0).writeBytes(new byte[] {9, 8}).writeString("z\u00fc\uD83D\uDE00").writeValue(Value.of(7))
                .writeNodeId(node).writeOpId(new OpId(node, 3)).writeHlc(new Hlc(5, 6, node))
                .writeVersionVector(VersionVector.of(Map.of(node, 4L, new NodeId(0, 1), 9L)));
        BlazeReader r = new BlazeReader(w.toByteArray());
        assertEquals(0xAB, r.readByte());
        assertEquals(0, r.readVarLong());
        assertEquals(-1L, r.readVarLong());
        assertEquals(Long.MIN_VALUE, r.readZigZagLong());
        assertEquals(0x0102030405060708L, r.readFixed64());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(r.readDouble()));
        assertEquals(2, r.readBytes().length);
        assertEquals("z\u00fc\uD83D\uDE00", r.readString());
        assertEquals(Value.of(7), r.readValue());
        assertEquals(node, r.readNodeId());
        assertEquals(new OpId(node, 3), r.readOpId());
        assertEquals(new Hlc(5, 6, node), r.readHlc());
        assertEquals(VersionVector.of(Map.of(node, 4L, new NodeId(0, 1), 9L)), r.readVersionVector());
        assertEquals(0, r.remaining());
        r.expectEnd();
        assertEquals(w.size(), r.position());
        w.reset();
        assertEquals(0, w.size());
    }

    @Test
    void readerWorksOnARangeAndCountsOffsetsFromItsStart() {
        byte[] bytes = {7, 7, 0x05, 7};
        BlazeReader r = new BlazeReader(bytes, 2, 1);
        assertEquals(5, r.readVarLong());
        BlazeFormatException e = assertThrows(BlazeFormatException.class, r::readByte);
        assertEquals(1, e.offset());
        assertEquals(ErrorCode.MALFORMED_DATA, e.code());
    }

    @Test
    void varintsMustBeShortestAndFitSixtyFourBits() {
        assertEquals(ErrorCode.MALFORMED_DATA, assertThrows(BlazeFormatException.class,
                () -> new BlazeReader(new byte[] {(byte) 0x80, 0x00}).readVarLong()).code());
        assertThrows(BlazeFormatException.class, () -> new BlazeReader(new byte[] {
            -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x02}).readVarLong());
        assertThrows(BlazeFormatException.class, () -> new BlazeReader(new byte[] {
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01}).readVarLong());
        assertEquals(-1L, new BlazeReader(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01}).readVarLong());
    }

    /**
     * Varints are read three ways: one byte, 2 to 8 bytes from one 8-byte load (when 10 bytes
     * remain), and byte by byte near the end of the input. Every length, at both ends of its range,
     * must read the same in each, and a varint ending in a zero byte is refused in each.
     */
    @Test
    void varintsOfEveryLengthReadTheSameWhateverFollowsThem() {
        java.util.List<Long> values = new java.util.ArrayList<>();
        for (int bits = 0; bits <= 64; bits++) {
            long top = bits == 64 ? -1L : (1L << bits) - 1;
            values.add(top);
            values.add(top + 1);
            values.add(top >>> 1 | 1);
        }
        for (long v : values) {
            byte[] alone = new BlazeWriter().writeVarLong(v).toByteArray();
            for (int padding : new int[] {0, 3, 10}) {
                byte[] in = java.util.Arrays.copyOf(alone, alone.length + padding);
                java.util.Arrays.fill(in, alone.length, in.length, (byte) 0xFF);
                BlazeReader r = new BlazeReader(in);
                assertEquals(v, r.readVarLong(), Long.toUnsignedString(v) + " with " + padding + " bytes after");
                assertEquals(alone.length, r.position());
            }
            if (alone.length < 10) {
                // the same number with a zero byte appended: the longer form of it is not canonical
                byte[] longer = java.util.Arrays.copyOf(alone, alone.length + 1 + 10);
                longer[alone.length - 1] |= (byte) 0x80;
                for (int padding : new int[] {0, 10}) {
                    byte[] in = java.util.Arrays.copyOf(longer, alone.length + 1 + padding);
                    BlazeFormatException e = assertThrows(BlazeFormatException.class, () -> new BlazeReader(in).readVarLong());
                    assertEquals("varint not in its shortest form", e.problem(), Long.toUnsignedString(v));
                }
            }
        }
    }
}
