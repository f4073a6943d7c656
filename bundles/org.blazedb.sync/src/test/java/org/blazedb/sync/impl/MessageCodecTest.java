package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final NodeId A = new NodeId(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
    private static final NodeId B = new NodeId(-1, 7);
    private static final VersionVector V = VersionVector.of(Map.of(A, 300L, B, 1L));

    @Test
    void everyMessageRoundTrips() {
        for (Message m : List.of(
                new Message.Hello(1, A, MessageCodec.CAP_LZ4, 8, 1 << 20),
                new Message.State(V, true, false),
                new Message.State(VersionVector.EMPTY, false, true),
                new Message.Ack(12, V),
                new Message.Ack(13, VersionVector.of(Map.of(B, 1L << 40))),
                new Message.Ping(-5),
                new Message.Pong(99),
                new Message.Error(ErrorCode.TIMEOUT, "silent peer ü"),
                new Message.Bye())) {
            assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)));
        }
        Message.Ops ops = (Message.Ops) MessageCodec.decode(MessageCodec.encode(
                new Message.Ops(3, 4, ByteBuffer.wrap(new byte[] {9, 8, 7}))));
        assertEquals(3, ops.epoch());
        assertEquals(4, ops.seq());
        byte[] payload = new byte[ops.payload().remaining()];
        ops.payload().get(payload);
        assertArrayEquals(new byte[] {9, 8, 7}, payload);
    }

    @Test
    void theDocumentedBytesOfAStateMessage() {
        ByteBuffer frame = MessageCodec.encode(new Message.State(VersionVector.of(Map.of(A, 300L)), true, false));
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        assertArrayEquals(new byte[] {0x02, 0x01, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                (byte) 0xAC, 0x02}, bytes);
    }

    /**
     * The other messages as docs/protocol.md ("Sync messages") writes them, bytes written out by
     * hand from the document: the HELLO of its example, OPS, ACK, PING, ERROR and BYE. The encoder
     * must make them and the decoder take them.
     */
    @Test
    void theDocumentedBytesOfEveryOtherMessage() {
        // HELLO: version 1, node 0102…0f10, LZ4, window 8, 1 MiB batches (the document's example)
        assertDocumented(new Message.Hello(1, A, MessageCodec.CAP_LZ4, 8, 1 << 20),
                0x01, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x01, 0x08, 0x80, 0x80, 0x40);
        // OPS: varint epoch 2, varint seq 130, then the payload to the end of the frame
        Message.Ops ops = (Message.Ops) MessageCodec.decode(ByteBuffer.wrap(bytes(0x03, 0x02, 0x82, 0x01, 0x23, 0x00)));
        assertEquals(2, ops.epoch());
        assertEquals(130, ops.seq());
        assertEquals(ByteBuffer.wrap(bytes(0x23, 0x00)), ops.payload());
        assertArrayEquals(bytes(0x03, 0x02, 0x82, 0x01, 0x23, 0x00), array(MessageCodec.encode(ops)));
        // ACK: varint seq 5, vector of one entry: node B (ffff…ffff 0000…0007), sequence 1
        assertDocumented(new Message.Ack(5, VersionVector.of(Map.of(B, 1L))), 0x04, 0x05, 0x01,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 7, 0x01);
        // PING and PONG: fixed64 big-endian two's complement
        assertDocumented(new Message.Ping(-2), 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe);
        assertDocumented(new Message.Pong(258), 0x06, 0, 0, 0, 0, 0, 0, 0x01, 0x02);
        // ERROR: varint code 405 (0x95 0x03), string "late" (varint length, UTF-8)
        assertDocumented(new Message.Error(ErrorCode.TIMEOUT, "late"), 0x07, 0x95, 0x03, 0x04, 'l', 'a', 't', 'e');
        assertDocumented(new Message.Bye(), 0x08);
    }

    /** The edges docs/protocol.md states for the encoding (Conventions, STATE). */
    @Test
    void theDocumentedEdgesOfTheEncoding() {
        int[] nodeA = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        // STATE: flag bits other than 0 and 1 are ignored on receipt
        Message.State state = (Message.State) MessageCodec.decode(ByteBuffer.wrap(bytes(0x02, 0xfd, 0x00)));
        assertEquals(true, state.replyWanted());
        assertEquals(false, state.rewind());
        // a varint of 11 bytes
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(bytes(0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00)));
        // a varint of 10 bytes whose tenth holds bit 64: it would read as ACK 0
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(bytes(0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x00)));
        // a sequence of 2^63: above 2^63 - 1
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(concat(bytes(0x02, 0x00, 0x01), bytes(nodeA),
                bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))));
        // the same origin twice
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(concat(bytes(0x02, 0x00, 0x02), bytes(nodeA), bytes(0x01), bytes(nodeA), bytes(0x02))));
        // a 32-bit field over 2^31 - 1: HELLO's window
        assertEquals(ErrorCode.LIMIT_EXCEEDED, code(concat(bytes(0x01, 0x01), bytes(nodeA), bytes(0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x08))));
        // a string running past the end of the frame
        assertEquals(ErrorCode.LIMIT_EXCEEDED, code(bytes(0x07, 0x95, 0x03, 0x05, 'l', 'a', 't', 'e')));
        // malformed UTF-8 in ERROR's message is replaced, not refused
        Message.Error error = (Message.Error) MessageCodec.decode(ByteBuffer.wrap(bytes(0x07, 0x95, 0x03, 0x02, 'x', 0xff)));
        assertEquals("x\uFFFD", error.message());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void assertDocumented(Message message, int... documented) {
        assertArrayEquals(bytes(documented), array(MessageCodec.encode(message)), message.toString());
        assertEquals(message, MessageCodec.decode(ByteBuffer.wrap(bytes(documented))));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] array(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        return b;
    }

    @Test
    void malformedFramesAreProtocolErrorsNeverOtherExceptions() {
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(new byte[0]));
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(new byte[] {0x7f}));
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(new byte[] {0x02, 0x00, 0x01, 1, 2}));
        assertEquals(ErrorCode.PROTOCOL_ERROR, code(new byte[] {0x08, 0x00}));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, code(new byte[] {0x02, 0x00, (byte) 0xff, (byte) 0xff, 0x7f}));
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 0) {
                bytes[0] = (byte) (1 + random.nextInt(8));
            }
            try {
                MessageCodec.decode(ByteBuffer.wrap(bytes));
            } catch (BlazeException expected) {
                // every failure is a numbered error
            }
        }
    }

    private static ErrorCode code(byte[] bytes) {
        return assertThrows(BlazeException.class, () -> MessageCodec.decode(ByteBuffer.wrap(bytes))).code();
    }
}
