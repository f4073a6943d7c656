package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many connections throw random and mutated bytes at a live server at once, in plaintext and
 * inside TLS; every one is refused with a documented code, and a good client still gets through
 * and exchanges frames afterwards.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileTrafficTest {
    static final int PLAINTEXT_CONNECTIONS = 24;
    static final int TLS_CONNECTIONS = 24;
    static final Set<ErrorCode> DOCUMENTED = Set.of(ErrorCode.PROTOCOL_ERROR, ErrorCode.LIMIT_EXCEEDED,
            ErrorCode.UNSUPPORTED_VERSION, ErrorCode.AUTH_FAILED, ErrorCode.PEER_UNREACHABLE, ErrorCode.TIMEOUT);

    @Test
    void serverSurvivesGarbageFromManyConnectionsAndStillServesAGoodClient() throws Exception {
        NodeIdentity id = NodeIdentity.generate();
        try (Loopback net = new Loopback().start(id, PeerAccess.sharedToken("good"),
                Loopback.LIMITS.withHandshakeTimeout(java.time.Duration.ofSeconds(2)), 0)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> plaintext = new ArrayList<>();
            for (int i = 0; i < PLAINTEXT_CONNECTIONS; i++) {
                int seed = i;
                plaintext.add(pool.submit(() -> garbageOverPlainTcp(net.port, seed)));
            }
            List<Channel> tls = new ArrayList<>();
            for (int i = 0; i < TLS_CONNECTIONS; i++) {
                byte[] garbage = HandshakeFuzzTest.stream(new Random(1000 + i));
                tls.add(net.connectRaw(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel ch) throws Exception {
                        ch.pipeline().addLast(TlsContexts.client().newHandler(ch.alloc(), "127.0.0.1", net.port));
                        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && done.isSuccess()) {
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(garbage));
                                }
                            }
                        });
                    }
                }));
            }
            for (Future<?> f : plaintext) {
                f.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            }
            pool.shutdown();
            // Every hostile connection ends in exactly one documented refusal: at once, or, for
            // garbage that is a valid prefix of something, by the (here 2 s) handshake timeout.
            for (int i = 0; i < PLAINTEXT_CONNECTIONS + TLS_CONNECTIONS; i++) {
                BlazeException e = net.nextRefusal();
                assertTrue(DOCUMENTED.contains(e.code()), "undocumented refusal " + e);
            }
            assertTrue(net.accepted.isEmpty(), "no hostile connection was accepted");

            Loopback.Recorder client = new Loopback.Recorder();
            NettyLink good = net.connect(TlsContexts.client(), new ClientCredentials("good-peer", "good"),
                    FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, id.fingerprint())), client)
                    .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            good.send(ByteBuffer.wrap("still here".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("still here", StandardCharsets.US_ASCII.decode(net.serverHandler.nextFrame()).toString());
            for (Channel ch : tls) {
                ch.close();
            }
        }
    }

    private static Void garbageOverPlainTcp(int port, int seed) throws IOException {
        Random random = new Random(seed);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            // Starts with a TLS record header half the time, so the TLS layer parses further.
            byte[] bytes = HandshakeFuzzTest.noise(random, 1 + random.nextInt(4000));
            if (random.nextBoolean() && bytes.length > 5) {
                bytes[0] = 0x16;
                bytes[1] = 0x03;
                bytes[2] = 0x01;
            }
            try {
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // drain whatever the server sends (a TLS alert) until it closes
                }
            } catch (java.net.SocketException closedByServer) {
                // the server may reset the connection while we are still writing
            }
        }
        return null;
    }
}
