package org.blazedb.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Builds the pipeline of each connection a server accepts. Connections beyond
 * {@link NetLimits#maxConnections()} are closed at once, before TLS, and reported as
 * {@link ErrorCode#UNAVAILABLE}.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext sslContext;
    private final NetLimits limits;
    private final PeerAccess access;
    private final LinkAcceptor acceptor;
    private final String relay;
    private final AtomicInteger open = new AtomicInteger();
    private final AuthThrottle throttle;

    /**
     * @param sslContext from {@link TlsContexts#server}
     * @param limits     the limits every connection enforces
     * @param access     who may connect
     * @param acceptor   receives authenticated links and refusals
     * @param relay      the scheme the links report, such as {@code tcp}
     */
    public ServerInitializer(SslContext sslContext, NetLimits limits, PeerAccess access, LinkAcceptor acceptor, String relay) {
        this(sslContext, limits, access, acceptor, relay, new AuthThrottle(limits.authFailureDelay().toMillis()));
    }

    /** As the public constructor, with the throttle of failed authentications given (tests look into it). */
    ServerInitializer(SslContext sslContext, NetLimits limits, PeerAccess access, LinkAcceptor acceptor, String relay,
            AuthThrottle throttle) {
        this.sslContext = sslContext;
        this.limits = limits;
        this.access = access;
        this.acceptor = acceptor;
        this.relay = relay;
        this.throttle = throttle;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            ch.close();
            acceptor.refused(ch.remoteAddress(), new BlazeException(ErrorCode.UNAVAILABLE,
                    "The server already holds " + limits.maxConnections() + " connections; try again later"));
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        int pending = limits.maxPendingBytes();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(pending / 2, pending));

        // TLS 1.3 first: nothing below runs on unencrypted bytes.
        SslHandler tls = TlsContexts.newServerHandler(sslContext, ch.alloc());
        tls.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
        ch.pipeline().addLast("tls", tls);
        // Length-prefixed frames, the size checked on the prefix before the body is buffered; handshake
        // messages are small, so an unauthenticated peer gets the small limit (raised on success).
        ch.pipeline().addLast("frameDecoder", new FrameDecoder(NetLimits.MAX_HANDSHAKE_FRAME_BYTES));
        ch.pipeline().addLast("frameEncoder", new FrameEncoder(limits.maxFrameBytes()));
        // Version negotiation and authentication; replaced by the link's handler once done.
        ch.pipeline().addLast("handshake", new ServerHandshakeHandler(limits, access, acceptor, relay, throttle));
    }

    /** @return the connections open now */
    public int openConnections() {
        return open.get();
    }
}
