package org.blazedb.bench.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.blazedb.net.NettyTransport;
import org.blazedb.api.BlazeException;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.net.LinkAcceptor;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NettyLink;
import org.blazedb.net.NodeIdentity;
import org.blazedb.net.PeerAccess;
import org.blazedb.net.ServerInitializer;
import org.blazedb.net.TlsContexts;

/**
 * The transport alone, for comparison with sync latency: the same TLS pipeline and handshake as
 * {@code BlazeServer}, but every authenticated link's frames are sent straight back from the event
 * loop (no engine, no store).
 */
final class EchoListener implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NettyTransport.ioHandlerFactory());
    private final Channel channel;

    EchoListener(NodeIdentity identity, String token) throws Exception {
        LinkAcceptor echo = new LinkAcceptor() {
            @Override
            public LinkHandler accept(NettyLink link) {
                return new LinkHandler() {
                    @Override
                    public void onFrame(Link from, ByteBuffer frame) {
                        from.send(frame);
                    }

                    @Override
                    public void onWritabilityChanged(Link from) {
                    }

                    @Override
                    public void onClosed(Link from, Throwable cause) {
                    }
                };
            }

            @Override
            public void refused(SocketAddress remote, BlazeException reason) {
                System.err.println("echo: refused " + remote + ": " + reason);
            }
        };
        channel = new ServerBootstrap().group(group).channel(NettyTransport.serverSocketChannel())
                .childHandler(new ServerInitializer(TlsContexts.server(identity), NetLimits.DEFAULTS,
                        PeerAccess.sharedToken(token), echo, "tcp"))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
