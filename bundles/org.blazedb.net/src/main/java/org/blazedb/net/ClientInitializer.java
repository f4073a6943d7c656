package org.blazedb.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.blazedb.api.sync.LinkHandler;

/**
 * Builds the pipeline of one outbound connection; {@link #result()} completes with the
 * authenticated link, or exceptionally with a {@link org.blazedb.api.BlazeException} saying why not.
 */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext sslContext;
    private final NetLimits limits;
    private final ClientCredentials credentials;
    private final FingerprintPins pins;
    private final URI address;
    private final LinkHandler handler;
    private final CompletableFuture<NettyLink> result = new CompletableFuture<>();

    /**
     * @param sslContext  from {@link TlsContexts#client()}
     * @param limits      the limits the connection enforces
     * @param credentials who this client is and its token
     * @param pins        the server fingerprints it trusts
     * @param address     the server's address ({@code scheme://host:port})
     * @param handler     receives the link's frames and events once it is up
     */
    public ClientInitializer(SslContext sslContext, NetLimits limits, ClientCredentials credentials,
            FingerprintPins pins, URI address, LinkHandler handler) {
        this.sslContext = sslContext;
        this.limits = limits;
        this.credentials = credentials;
        this.pins = pins;
        this.address = address;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        int pending = limits.maxPendingBytes();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(pending / 2, pending));
        // TLS 1.3 first: nothing below runs on unencrypted bytes.
        SslHandler tls = sslContext.newHandler(ch.alloc(), address.getHost(), address.getPort());
        tls.setHandshakeTimeoutMillis(limits.handshakeTimeout().toMillis());
        ch.pipeline().addLast("tls", tls);
        // Length-prefixed frames, the size checked on the prefix before the body is buffered; handshake
        // messages are small, so the server gets the small limit until it has authenticated.
        ch.pipeline().addLast("frameDecoder", new FrameDecoder(NetLimits.MAX_HANDSHAKE_FRAME_BYTES));
        ch.pipeline().addLast("frameEncoder", new FrameEncoder(limits.maxFrameBytes()));
        // Pin check, version negotiation and authentication; replaced by the link's handler once done.
        ch.pipeline().addLast("handshake", new ClientHandshakeHandler(limits, credentials, pins, address, handler, result));
    }

    /** @return completes with the authenticated link or the reason it failed */
    public CompletableFuture<NettyLink> result() {
        return result;
    }
}
