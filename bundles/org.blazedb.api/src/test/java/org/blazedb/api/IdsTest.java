package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void nodeIdRoundTripsThroughItsHexForm() {
        NodeId id = new NodeId(0x8000_0000_0000_0001L, 0xffL);
        assertEquals("800000000000000100000000000000ff", id.toString());
        assertEquals(id, NodeId.parse(id.toString()));
        NodeId random = NodeId.random();
        assertEquals(random, NodeId.parse(random.toString()));
    }

    @Test
    void idsSharingAPrintedTextSlotEachPrintTheirOwnHex() {
        // high ^ low is the same for all of these, so they take turns in one slot of the cache
        for (int round = 0; round < 3; round++) {
            for (long i = 1; i <= 5; i++) {
                NodeId id = new NodeId(i, i ^ 0x5a5aL);
                assertEquals(String.format("%016x%016x", i, i ^ 0x5a5aL), id.toString());
                assertEquals(id, NodeId.parse(id.toString()));
            }
        }
    }

    @Test
    void nodeIdParsingRejectsBadText() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("zz000000000000000000000000000000"));
    }

    @Test
    void nodeIdsOrderAsUnsignedNumbers() {
        assertTrue(new NodeId(-1, 0).compareTo(new NodeId(1, 0)) > 0);
    }

    @Test
    void hlcOrdersByWallTimeThenCounterThenNode() {
        NodeId a = new NodeId(0, 1);
        NodeId b = new NodeId(0, 2);
        assertTrue(new Hlc(10, 0, b).compareTo(new Hlc(11, 0, a)) < 0);
        assertTrue(new Hlc(10, 1, a).compareTo(new Hlc(10, 0, b)) > 0);
        assertTrue(new Hlc(10, 1, b).isAfter(new Hlc(10, 1, a)));
        assertThrows(IllegalArgumentException.class, () -> new Hlc(-1, 0, a));
    }

    @Test
    void opIdSequencesStartAtOne() {
        assertThrows(IllegalArgumentException.class, () -> new OpId(new NodeId(0, 1), 0));
    }

    @Test
    void errorCodesAreFoundByNumber() {
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code, ErrorCode.ofNumber(code.number()));
        }
        assertEquals("E104 NOT_FOUND: gone", new BlazeException(ErrorCode.NOT_FOUND, "gone").toString());
    }
}
