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

    /** @param maxFrameBytes the largest payload sent (the body is one type byte more) */
    public FrameEncoder(int maxFrameBytes) {
        super(FrameDecoder.LENGTH_BYTES);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) throws Exception {
        int size = body.readableBytes();
        if (size < FrameDecoder.TYPE_BYTES || size > FrameDecoder.TYPE_BYTES + maxFrameBytes) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "Refusing to send a frame body of " + size
                    + " bytes; bodies hold a type byte and at most " + maxFrameBytes + " payload bytes");
        }
        super.encode(ctx, body, out);
    }
}
