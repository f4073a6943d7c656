package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    static final int MAX = 4096;
    final CappedAllocator alloc = new CappedAllocator(MAX + FrameDecoder.LENGTH_BYTES + 64);

    EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new FrameDecoder(MAX), new FrameEncoder(MAX));
        return ch;
    }

    ByteBuf bytes(int... values) {
        ByteBuf b = alloc.buffer(values.length);
        for (int v : values) {
            b.writeByte(v);
        }
        return b;
    }

    @Test
    void oversizedLengthIsRejectedOnThePrefixAloneBeforeAnyBodyIsBuffered() {
        for (int length : new int[] {MAX + 2, 1 << 20, 0x7fffffff, 0xffffffff}) {
            EmbeddedChannel ch = channel();
            ByteBuf prefix = alloc.buffer(4).writeInt(length);
            assertThrows(TooLongFrameException.class, () -> ch.writeInbound(prefix),
                    "length " + Integer.toUnsignedString(length));
            assertTrue(alloc.largestRequest <= 64, "nothing sized by the prefix was allocated: " + alloc.largestRequest);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void maximumSizedFrameIsAcceptedAndZeroLengthIsNot() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = alloc.buffer(4 + 1 + MAX).writeInt(1 + MAX).writeZero(1 + MAX);
        ch.writeInbound(frame);
        ByteBuf body = ch.readInbound();
        assertEquals(1 + MAX, body.readableBytes(), "a type byte and a payload of the maximum size");
        body.release();
        assertThrows(CorruptedFrameException.class, () -> ch.writeInbound(bytes(0, 0, 0, 0)));
        ch.finishAndReleaseAll();
    }

    @Test
    void framesSplitIntoSingleBytesAreReassembled() {
        EmbeddedChannel ch = channel();
        int[] stream = {0, 0, 0, 3, 0x10, 'a', 'b', 0, 0, 0, 1, 0x10};
        for (int b : stream) {
            ch.writeInbound(bytes(b));
        }
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertEquals(3, first.readableBytes());
        assertEquals(1, second.readableBytes());
        assertNull(ch.readInbound());
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderPrefixesLengthAndRefusesWhatThePeerWouldRefuse() {
        EmbeddedChannel ch = channel();
        ch.writeOutbound(bytes(0x10, 7));
        ByteBuf header = ch.readOutbound();
        ByteBuf body = ch.readOutbound();
        assertEquals(2, header.readInt());
        assertEquals(2, body.readableBytes());
        header.release();
        body.release();
        io.netty.handler.codec.EncoderException e = assertThrows(io.netty.handler.codec.EncoderException.class,
                () -> ch.writeOutbound(alloc.buffer(MAX + 2).writeZero(MAX + 2)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, ((BlazeException) e.getCause()).code());
        ch.finishAndReleaseAll();
    }
}
