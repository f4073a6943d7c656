package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;

/** A server and clients on 127.0.0.1 over real sockets, for tests. Every wait is bounded. */
final class Loopback implements AutoCloseable {
    static final long WAIT_SECONDS = 20;
    static final NetLimits LIMITS = NetLimits.DEFAULTS
            .withHandshakeTimeout(Duration.ofSeconds(10))
            .withAuthFailureDelay(Duration.ofMillis(50));

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final BlockingQueue<BlazeException> refusals = new LinkedBlockingQueue<>();
    final BlockingQueue<NettyLink> accepted = new LinkedBlockingQueue<>();
    volatile Recorder serverHandler = new Recorder();
    /** The server's throttle of failed authentications, made by {@link #start}. */
    AuthThrottle throttle;
    Channel server;
    int port;
    /** The server's send buffer and each client's receive buffer per socket; 0 leaves the system's (large) default. */
    int socketBufferBytes;

    /**
     * Small socket buffers (8 KiB) on both ends of each connection, set before {@link #start}: a
     * client that stops reading then really blocks the server's writes, instead of the kernel
     * absorbing megabytes.
     */
    Loopback withSmallSocketBuffers() {
        socketBufferBytes = 8 * 1024;
        return this;
    }

    /** Starts a server with this identity and access on 127.0.0.1 (port 0 picks a free one). */
    Loopback start(NodeIdentity identity, PeerAccess access, NetLimits limits, int wantedPort) throws Exception {
        SslContext ssl = TlsContexts.server(identity);
        throttle = new AuthThrottle(limits.authFailureDelay().toMillis());
        LinkAcceptor acceptor = new LinkAcceptor() {
            @Override
            public LinkHandler accept(NettyLink link) {
                accepted.add(link);
                return serverHandler;
            }

            @Override
            public void refused(SocketAddress remote, BlazeException reason) {
                refusals.add(reason);
            }
        };
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ServerInitializer(ssl, limits, access, acceptor, "tcp", throttle));
        if (socketBufferBytes > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, socketBufferBytes);
        }
        server = bootstrap.bind(new InetSocketAddress("127.0.0.1", wantedPort)).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
        return this;
    }

    URI address() {
        return URI.create("tcp://127.0.0.1:" + port);
    }

    /** Connects a client through the real pipeline; the future completes with the link or the failure. */
    CompletableFuture<NettyLink> connect(SslContext ssl, ClientCredentials credentials, FingerprintPins pins, LinkHandler handler) {
        return connect(ssl, LIMITS, credentials, pins, handler);
    }

    CompletableFuture<NettyLink> connect(SslContext ssl, NetLimits limits, ClientCredentials credentials, FingerprintPins pins,
            LinkHandler handler) {
        ClientInitializer init = new ClientInitializer(ssl, limits, credentials, pins, address(), handler);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(init);
        if (socketBufferBytes > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, socketBufferBytes);
        }
        bootstrap.connect("127.0.0.1", port).addListener(f -> {
                    if (!f.isSuccess()) {
                        init.result().completeExceptionally(f.cause());
                    }
                });
        return init.result();
    }

    /** Connects with a custom pipeline (raw and hostile clients). */
    Channel connectRaw(ChannelInitializer<SocketChannel> init) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(init)
                .connect("127.0.0.1", port).sync().channel();
    }

    BlazeException nextRefusal() throws InterruptedException {
        BlazeException e = refusals.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(e != null, "the server reported no refusal within " + WAIT_SECONDS + " s");
        return e;
    }

    void stopServer() throws InterruptedException {
        server.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Records what a link delivers. */
    static class Recorder implements LinkHandler {
        final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        volatile int writabilityChanges;

        @Override
        public void onFrame(Link link, ByteBuffer frame) {
            frames.add(frame);
        }

        @Override
        public void onWritabilityChanged(Link link) {
            writabilityChanges++;
        }

        @Override
        public void onClosed(Link link, Throwable cause) {
            closed.complete(cause);
        }

        ByteBuffer nextFrame() throws InterruptedException {
            ByteBuffer f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(f != null, "no frame within " + WAIT_SECONDS + " s");
            return f;
        }
    }
}
