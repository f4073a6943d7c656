package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * The part of the handshake both sides share: the deadline, waiting for TLS, reading frames one at
 * a time, ERROR frames from the peer, and the two ways out. On success the handler replaces itself
 * with an idle timer and the {@link NettyLink}'s handler; on failure it sends an ERROR frame (when
 * TLS is up, so the peer can read it), closes the connection once that is written or after a short
 * grace ({@link ErrorAndClose}), and reports a {@link BlazeException}.
 * {@link ClientHandshakeHandler} and {@link ServerHandshakeHandler} hold each side's state machine.
 * Runs on the channel's event loop only, so it needs no locking.
 */
public abstract class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The limits of this connection. */
    protected final NetLimits limits;
    private ScheduledFuture<?> deadline;
    private boolean tlsUp;
    private boolean finished;
    /**
     * A delayed failure is scheduled ({@link #failAfter}), or a check waits its turn
     * ({@link #pauseThen}): nothing more is read or checked meanwhile.
     */
    private boolean refusing;

    /** @param limits the connection's limits */
    protected HandshakeHandler(NetLimits limits) {
        this.limits = limits;
    }

    /** TLS is established; the client checks the pin and speaks first. */
    protected abstract void onTlsUp(ChannelHandlerContext ctx);

    /** @param body one frame body (not ERROR), released by the caller */
    protected abstract void onFrame(ChannelHandlerContext ctx, ByteBuf body);

    /** The handshake failed; the connection is closing. */
    protected abstract void onFailed(ChannelHandlerContext ctx, BlazeException reason);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            armDeadline(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armDeadline(ctx);
        super.channelActive(ctx);
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline == null && !finished) {
            long ms = limits.handshakeTimeout().toMillis();
            deadline = ctx.executor().schedule(() -> fail(ctx, new BlazeException(ErrorCode.TIMEOUT,
                    "The handshake did not complete within " + ms + " ms")), ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !finished) {
            if (done.isSuccess()) {
                tlsUp = true;
                try {
                    onTlsUp(ctx);
                } catch (BlazeException e) {
                    fail(ctx, e);
                }
            } else {
                fail(ctx, NetErrors.classify(done.cause()));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf body = (ByteBuf) msg;
        try {
            if (finished || refusing) {
                // Failing: the rest of the stream is dropped unread. While a refusal waits out its
                // delay, frames the decoder had already split off the last read (pipelined guesses)
                // must not be checked either, or one delay would cover many guesses.
                return;
            }
            if (!tlsUp) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "A frame arrived before TLS was established");
            }
            if (body.getByte(body.readerIndex()) == FrameType.ERROR) {
                HandshakeMessages.ErrorFrame error = HandshakeMessages.decodeError(body);
                fail(ctx, NetErrors.fromWire(error.code(), error.reason()), false);
                return;
            }
            onFrame(ctx, body);
        } catch (BlazeException e) {
            fail(ctx, e);
        } finally {
            ReferenceCountUtil.release(body);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (refusing) {
            return; // e.g. a malformed frame pipelined after the guess: the refusal must not come sooner
        }
        fail(ctx, NetErrors.classify(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new BlazeException(ErrorCode.PEER_UNREACHABLE, "The peer closed the connection during the handshake"), false);
        super.channelInactive(ctx);
    }

    /** @return whether the handshake has ended, either way */
    protected final boolean finished() {
        return finished;
    }

    /** Fails the handshake, telling the peer why if TLS is up. */
    protected final void fail(ChannelHandlerContext ctx, BlazeException reason) {
        fail(ctx, reason, true);
    }

    private void fail(ChannelHandlerContext ctx, BlazeException reason, boolean tellPeer) {
        if (finished) {
            return;
        }
        finished = true;
        cancelDeadline();
        onFailed(ctx, reason);
        if (tellPeer && tlsUp && ctx.channel().isActive()) {
            ErrorAndClose.send(ctx.channel(), reason.code(), reason.getMessage());
        } else {
            ctx.close();
        }
    }

    /**
     * Stops answering for {@code delay} and then fails: the server's brake on token guessing.
     * From now on nothing is read, and frames already received are dropped unchecked, so a
     * connection gets one guess per delay however many it pipelines. The deadline is cancelled so
     * the delayed answer is the one the peer gets.
     */
    protected final void failAfter(ChannelHandlerContext ctx, BlazeException reason, long delayMillis) {
        cancelDeadline();
        if (delayMillis <= 0) {
            fail(ctx, reason);
            return;
        }
        refusing = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> fail(ctx, reason), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Pauses reading for {@code delayNanos}, then runs {@code then} on the event loop, unless the
     * handshake has ended meanwhile (its deadline, the peer closing). Frames that arrive meanwhile
     * are dropped unchecked, as during {@link #failAfter}: the peer must wait for the answer. A
     * {@link BlazeException} from {@code then} fails the handshake.
     */
    protected final void pauseThen(ChannelHandlerContext ctx, long delayNanos, Runnable then) {
        refusing = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            if (finished) {
                return;
            }
            refusing = false;
            ctx.channel().config().setAutoRead(true);
            try {
                then.run();
            } catch (BlazeException e) {
                fail(ctx, e);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** @return nanoseconds left until the handshake's deadline (0 if none is armed) */
    protected final long nanosToDeadline() {
        return deadline == null ? 0 : Math.max(0, deadline.getDelay(TimeUnit.NANOSECONDS));
    }

    /**
     * Ends the handshake successfully: installs the idle timer and the link's handler in place of
     * this one. The caller then starts the link with its {@code LinkHandler}.
     *
     * <p>The idle timer goes first in the pipeline, before TLS: it sees the bytes of the socket, so
     * a link is idle only when no byte at all arrives (not when a large frame is still arriving, nor
     * when a busy sync engine has not written for a while). With {@link Protocol#CAP_KEEPALIVE} it
     * also asks for a KEEPALIVE frame after a third of the timeout without writing, sent by the event
     * loop itself, so the peer hears from this side whatever its sync engine is doing.
     */
    protected final void succeed(ChannelHandlerContext ctx, NettyLink link) {
        finished = true;
        cancelDeadline();
        // Defensive: a link must read. Only a delayed refusal turns reading off, and a refused
        // handshake never gets here; should that ever change, the link would otherwise hang unread.
        ctx.channel().config().setAutoRead(true);
        long idle = limits.idleTimeout().toMillis();
        long keepalive = (link.capabilities() & Protocol.CAP_KEEPALIVE) != 0 ? Math.max(1, idle / 3) : 0;
        ctx.pipeline().addFirst("idle", new IdleStateHandler(idle, keepalive, 0, TimeUnit.MILLISECONDS));
        ctx.pipeline().replace(this, "link", link.channelHandler());
    }

    /**
     * Raises the frame limit from {@link NetLimits#MAX_HANDSHAKE_FRAME_BYTES} to the link's
     * {@link NetLimits#maxFrameBytes()}. Call it once the link is started: bytes already received
     * behind the last handshake frame are handed to the new decoder at once (Netty forwards a
     * removed decoder's buffered bytes), so the link's handler must be in place to receive them.
     */
    protected final void acceptLinkSizedFrames(ChannelHandlerContext ctx) {
        ChannelHandlerContext decoder = ctx.pipeline().context(FrameDecoder.class);
        if (decoder != null) {
            ctx.pipeline().replace(decoder.name(), decoder.name(), new FrameDecoder(limits.maxFrameBytes()));
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** @return this connection's TLS engine, or {@code null} if the pipeline has no TLS */
    protected static SSLEngine engine(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls == null ? null : tls.engine();
    }

    /** @return 32 fresh random bytes */
    protected static byte[] nonce() {
        byte[] n = new byte[HandshakeMessages.NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** @return the readable bytes of a frame body, without consuming them */
    protected static byte[] bytes(ByteBuf body) {
        return ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes());
    }
}
