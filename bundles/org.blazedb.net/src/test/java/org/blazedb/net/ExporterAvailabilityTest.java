package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records why the handshake is not bound to a TLS exporter (see {@link AuthProof}): on Java 17 the
 * JDK's JSSE has no exporter API, and Bouncy Castle's JSSE 1.84 negotiates TLS 1.3 through Netty but
 * has cleared the exporter secret by the time an application sees the completed handshake. If a
 * Bouncy Castle upgrade makes this test fail, the exporter has become usable: switch to it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExporterAvailabilityTest {
    @Test
    void bouncyCastleJsseHasNoExporterAfterAnSslEngineHandshake() throws Exception {
        BouncyCastleJsseProvider jsse = new BouncyCastleJsseProvider(new BouncyCastleProvider());
        NodeIdentity id = NodeIdentity.generate();
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("node", id.privateKey(), new char[0], new java.security.cert.X509Certificate[] {id.certificate()});
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance("PKIX", jsse);
        keys.init(store, new char[0]);
        SslContext server = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK)
                .sslContextProvider(jsse).protocols(TlsContexts.PROTOCOL).build();
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).sslContextProvider(jsse)
                .protocols(TlsContexts.PROTOCOL).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        BlockingQueue<SslHandler> serverSide = new LinkedBlockingQueue<>();
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler tls = server.newHandler(ch.alloc());
                            ch.pipeline().addLast(tls);
                            serverSide.add(tls);
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(client.newHandler(c.alloc(), "127.0.0.1", port));
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            tls.handshakeFuture().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(true, tls.handshakeFuture().isSuccess(), "BCJSSE negotiates TLS 1.3 through Netty");
            assertEquals("TLSv1.3", tls.engine().getSession().getProtocol());
            BCSSLEngine engine = (BCSSLEngine) tls.engine();
            assertThrows(UnsupportedOperationException.class,
                    () -> engine.getBCSession().exportKeyingMaterialData("EXPORTER-test", new byte[0], 32));
            assertThrows(IllegalStateException.class, () -> engine.getConnection().getChannelBinding("tls-exporter"));
            listener.close().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            ch.close().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
