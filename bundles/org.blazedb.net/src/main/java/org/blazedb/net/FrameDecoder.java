package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the decrypted byte stream into frames: a 4-byte big-endian unsigned length, then that many
 * body bytes (a type byte and a payload of at most the maximum frame size, so a sync frame of
 * exactly {@link NetLimits#MAX_FRAME_BYTES} fits). A longer length fails at once with
 * {@link io.netty.handler.codec.TooLongFrameException}, on reading the prefix and before any buffer
 * for the body is allocated (fail-fast); a zero length fails with {@link CorruptedFrameException}
 * (every body starts with a type byte). Emits each body without its prefix, as a slice of the input
 * (no copy).
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    /** Size of the length prefix. */
    public static final int LENGTH_BYTES = 4;

    /** Size of the type byte that starts every body. */
    public static final int TYPE_BYTES = 1;

    /** @param maxFrameBytes the largest payload accepted (the body is one type byte more) */
    public FrameDecoder(int maxFrameBytes) {
        // maxFrameLength counts the prefix too; strip the prefix; failFast rejects on the prefix alone.
        super(LENGTH_BYTES + TYPE_BYTES + maxFrameBytes, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        Object frame = super.decode(ctx, in);
        if (frame instanceof ByteBuf body && !body.isReadable()) {
            body.release();
            throw new CorruptedFrameException("Empty frame: every frame body starts with a type byte");
        }
        return frame;
    }
}
