package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldPrepender;
import java.util.List;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Prefixes each outbound frame body with its 4-byte big-endian length, refusing a body this side's
 * own limit would refuse on receipt (a local bug, reported as {@link ErrorCode#LIMIT_EXCEEDED}).
 */
@Sharable
public final class FrameEncoder extends LengthFieldPrepender {
    private final int maxFrameBytes;

    /** @param maxFrameBytes the largest body sent */
    public FrameEncoder(int maxFrameBytes) {
        super(FrameDecoder.LENGTH_BYTES);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) throws Exception {
        int size = body.readableBytes();
        if (size < 1 || size > maxFrameBytes) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED,
                    "Refusing to send a frame of " + size + " bytes; frames hold 1 to " + maxFrameBytes + " bytes");
        }
        super.encode(ctx, body, out);
    }
}
