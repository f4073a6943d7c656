package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.net.ClientCredentials;
import org.blazedb.net.ClientInitializer;
import org.blazedb.net.FingerprintPins;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NettyLink;
import org.blazedb.net.TlsContexts;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A live node in its own JVM takes random and mutated bytes from many connections at once: raw
 * TCP, inside TLS (mutated handshake frames), and from authenticated peers sending malformed sync
 * frames. Each connection is closed on its own; the store is unchanged; then a good node connects
 * and data syncs both ways.
 */
public class HostileTrafficProcessIT {
    static final int PLAINTEXT = 24;
    static final int TLS = 24;
    static final int AUTHENTICATED = 8;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @After
    public void stop() {
        nodes.forEach(NodeProcess::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    public void garbageFromManyConnectionsWritesNothingAndAGoodPeerStillSyncs() throws Exception {
        Path tokenFile = temp.getRoot().toPath().resolve("token");
        Files.writeString(tokenFile, "hostile-test-token\n");
        NodeProcess server = new NodeProcess("server", temp.getRoot().toPath().resolve("server"), NodeProcess.freePort(),
                Map.of("blaze.token.file", tokenFile.toString()));
        nodes.add(server);
        server.start();
        server.run("blaze:put notes before '{\"v\":1}'");
        String collectionsBefore = server.run("blaze:collections");
        String fingerprint = MultiProcessSyncIT.fingerprint(server);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> attacks = new ArrayList<>();
        for (int i = 0; i < PLAINTEXT; i++) {
            int seed = i;
            attacks.add(pool.submit(() -> plaintextGarbage(server.port, new Random(seed))));
        }
        for (int i = 0; i < TLS; i++) {
            int seed = 100 + i;
            attacks.add(pool.submit(() -> tlsGarbage(server.port, new Random(seed))));
        }
        List<CompletableFuture<Throwable>> sessions = new ArrayList<>();
        for (int i = 0; i < AUTHENTICATED; i++) {
            sessions.add(malformedSyncFrames(server.port, fingerprint, "hostile-test-token", new Random(200 + i)));
        }
        for (Future<?> f : attacks) {
            f.get(NodeProcess.WAIT_SECONDS, TimeUnit.SECONDS); // each returns once the server closed it
        }
        java.util.Set<ErrorCode> sessionEnds = java.util.EnumSet.of(ErrorCode.PROTOCOL_ERROR, ErrorCode.MALFORMED_DATA,
                ErrorCode.LIMIT_EXCEEDED, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.TIMEOUT);
        for (CompletableFuture<Throwable> s : sessions) {
            // the server ended each session with a documented code (or, for junk that happened to be
            // a valid message, by the idle timeout)
            Throwable cause = s.get(NodeProcess.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue("session ended by " + cause, cause instanceof BlazeException b && sessionEnds.contains(b.code()));
        }
        pool.shutdown();

        assertTrue("the node is still running", server.isAlive());
        assertEquals("nothing was written by the garbage", collectionsBefore, server.run("blaze:collections"));
        String log = Files.readString(server.data.resolveSibling("server.log"));
        assertTrue("refusals are logged with their code", log.contains("Refused") && log.contains("E40"));

        NodeProcess good = new NodeProcess("good", temp.getRoot().toPath().resolve("good"), NodeProcess.freePort(),
                Map.of("blaze.token.file", tokenFile.toString(), "blaze.peers", server.address()));
        nodes.add(good);
        good.start();
        NodeProcess.await("the server's document on the good peer", () -> good.run("blaze:get notes before").contains("\"v\":1"));
        good.run("blaze:put notes after '{\"v\":2}'");
        NodeProcess.await("the good peer's write on the server", () -> server.run("blaze:get notes after").contains("\"v\":2"));
    }

    /** Random bytes on raw TCP, half of them behind a TLS record header so TLS parses further. */
    private static Void plaintextGarbage(int port, Random random) throws IOException {
        byte[] bytes = new byte[1 + random.nextInt(4000)];
        random.nextBytes(bytes);
        if (random.nextBoolean() && bytes.length > 5) {
            bytes[0] = 0x16;
            bytes[1] = 0x03;
            bytes[2] = 0x01;
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(NodeProcess.WAIT_SECONDS));
            writeAndDrain(socket, bytes);
        }
        return null;
    }

    /** A TLS 1.3 session, then frames that are random, or a CLIENT_HELLO with bytes changed, cut or added. */
    private static Void tlsGarbage(int port, Random random) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(NodeProcess.WAIT_SECONDS));
            socket.startHandshake();
            writeAndDrain(socket, random.nextBoolean() ? randomFrames(random) : mutatedClientHello(random));
        }
        return null;
    }

    private static byte[] randomFrames(Random random) {
        byte[] body = new byte[1 + random.nextInt(2000)];
        random.nextBytes(body);
        ByteBuffer frame = ByteBuffer.allocate(4 + body.length);
        // A plausible length half the time (so the frame decoder reads the body), any length otherwise.
        frame.putInt(random.nextBoolean() ? body.length : random.nextInt()).put(body);
        return frame.array();
    }

    private static byte[] mutatedClientHello(Random random) {
        ByteBuffer hello = ByteBuffer.allocate(4 + 1 + 4 + 1 + 2 + 4 + 32);
        hello.putInt(1 + 4 + 1 + 2 + 4 + 32).put((byte) 0x01).put("BLZN".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1).putShort((short) 1).putInt(1);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        hello.put(nonce);
        byte[] bytes = hello.array();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return bytes;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(bytes, 5 + random.nextInt(bytes.length - 5));
            }
            default -> {
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                ByteBuffer.wrap(longer).putInt(longer.length - 4);
                return longer;
            }
        }
    }

    private static void writeAndDrain(Socket socket, byte[] bytes) throws IOException {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // whatever the server answers (an ERROR frame, a TLS alert) until it closes
            }
        } catch (SocketException closedByServer) {
            // the server may reset the connection while we still write or read
        }
    }

    /**
     * Authenticates with the token, then sends a valid sync HELLO followed by malformed frames: an
     * OPS frame whose payload is random, or random bytes behind a sync type byte.
     *
     * @return completes when the server has closed the link
     */
    private CompletableFuture<Throwable> malformedSyncFrames(int port, String fingerprint, String token, Random random)
            throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        LinkHandler handler = new LinkHandler() {
            @Override
            public void onFrame(Link link, ByteBuffer frame) {
            }

            @Override
            public void onWritabilityChanged(Link link) {
            }

            @Override
            public void onClosed(Link link, Throwable cause) {
                closed.complete(cause);
            }
        };
        URI address = URI.create("tcp://127.0.0.1:" + port);
        ClientInitializer init = new ClientInitializer(TlsContexts.client(), NetLimits.DEFAULTS,
                new ClientCredentials("fuzzer-" + random.nextInt(1000), token),
                FingerprintPins.configured(Map.of("127.0.0.1:" + port, fingerprint)), address, handler);
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(init).connect("127.0.0.1", port);
        NettyLink link = init.result().get(NodeProcess.WAIT_SECONDS, TimeUnit.SECONDS);
        byte[] node = new byte[16];
        random.nextBytes(node);
        // HELLO: version 1, node id, LZ4 capability, window 16, max batch 1 MiB (docs/protocol.md)
        ByteBuffer hello = ByteBuffer.allocate(32).put((byte) 0x01).put((byte) 1).put(node)
                .put((byte) 1).put((byte) 16).put(new byte[] {(byte) 0x80, (byte) 0x80, 0x40});
        link.send(hello.flip());
        byte[] junk = new byte[1 + random.nextInt(3000)];
        random.nextBytes(junk);
        ByteBuffer frame = ByteBuffer.allocate(3 + junk.length);
        if (random.nextBoolean()) {
            frame.put((byte) 0x03).put((byte) 0).put((byte) 1); // OPS epoch 0, seq 1, then a random payload
        } else {
            frame.put((byte) (1 + random.nextInt(8))).put((byte) random.nextInt(256)).put((byte) random.nextInt(256));
        }
        link.send(frame.put(junk).flip());
        return closed;
    }

    /** The hostile client does not care whom it talks to. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
