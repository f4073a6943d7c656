package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.DeliveryThread;
import org.blazedb.api.sync.Link;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The link after the handshake: limits, back-pressure, idleness, refusals by the handler; and TLS seen from outside. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyLinkTest {
    static final String TOKEN = "t0ken";
    NodeIdentity serverId = NodeIdentity.generate();
    Loopback net;

    @AfterEach
    void stop() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    NettyLink connect(Loopback.Recorder handler) throws Exception {
        return net.connect(TlsContexts.client(), new ClientCredentials("c", TOKEN),
                FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint())), handler)
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void frameOverTheLimitIsRefusedAtSendAndFrameAtTheLimitArrives() throws Exception {
        NetLimits limits = Loopback.LIMITS.withMaxFrameBytes(64 * 1024);
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        NettyLink link = net.connect(TlsContexts.client(), new ClientCredentials("c", TOKEN),
                FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint())), new Loopback.Recorder())
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        // The client side uses Loopback.LIMITS (16 MiB); the server accepts at most 64 KiB.
        link.send(ByteBuffer.allocate(64 * 1024));
        assertEquals(64 * 1024, net.serverHandler.nextFrame().remaining());
        link.send(ByteBuffer.allocate(64 * 1024 + 1));
        BlazeException closed = assertInstanceOf(BlazeException.class, net.serverHandler.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, closed.code());
        BlazeException oversize = assertThrows(BlazeException.class, () -> net.accepted.peek().send(ByteBuffer.allocate(64 * 1024 + 1)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, oversize.code());
    }

    @Test
    void framesArriveByteForByteInOrderAndTheSendersBufferIsLeftAsItWas() throws Exception {
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, 0);
        NettyLink link = connect(new Loopback.Recorder());
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        // a frame that is a window of a larger array (offset, position and limit all non-trivial)
        ByteBuffer window = ByteBuffer.wrap(bytes, 5, 60_000).slice().position(3);
        ByteBuffer small = ByteBuffer.wrap(new byte[] {9, 8, 7});
        link.send(window);
        link.send(small);
        link.send(ByteBuffer.allocate(0));
        assertEquals(3, window.position(), "send does not consume the caller's buffer");
        assertEquals(60_000, window.limit());
        assertEquals(0, small.position());

        ByteBuffer first = net.serverHandler.nextFrame();
        byte[] expected = new byte[60_000 - 3];
        System.arraycopy(bytes, 5 + 3, expected, 0, expected.length);
        byte[] got = new byte[first.remaining()];
        first.get(got);
        assertArrayEquals(expected, got);
        assertEquals(ByteBuffer.wrap(new byte[] {9, 8, 7}), net.serverHandler.nextFrame());
        assertEquals(0, net.serverHandler.nextFrame().remaining(), "an empty frame arrives empty");
    }

    @Test
    void bothEndsDeclareTheirEventLoopSharedEvenWithOneConnection() throws Exception {
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, 0);
        NettyLink client = connect(new Loopback.Recorder());
        NettyLink server = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        // One connection only, yet neither may block its loop: a server's loops serve every peer,
        // and a client's loop may serve several links.
        assertEquals(DeliveryThread.NON_BLOCKING, server.deliveryThread());
        assertEquals(DeliveryThread.NON_BLOCKING, client.deliveryThread());
    }

    @Test
    void handlerRefusingAFrameClosesTheLinkWithItsCode() throws Exception {
        net = new Loopback().start(serverId, PeerAccess.none().withPeer("c", TOKEN, Permission.READ_ONLY), Loopback.LIMITS, 0);
        // What a sync engine does with OPS from a read-only peer: refuse by throwing.
        net.serverHandler = new Loopback.Recorder() {
            @Override
            public void onFrame(Link l, ByteBuffer frame) {
                throw new BlazeException(ErrorCode.PERMISSION_DENIED, "peer c is read-only");
            }
        };
        Loopback.Recorder client = new Loopback.Recorder();
        NettyLink link = connect(client);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(Permission.READ_ONLY, serverLink.permission());
        assertEquals(Permission.READ_ONLY, link.permission());
        link.send(ByteBuffer.wrap("OPS".getBytes(StandardCharsets.US_ASCII)));
        BlazeException cause = assertInstanceOf(BlazeException.class, client.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(ErrorCode.PERMISSION_DENIED, cause.code());
        assertTrue(cause.getMessage().contains("read-only"), cause.getMessage());
    }

    @Test
    void quietLinkTimesOut() throws Exception {
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS.withIdleTimeout(Duration.ofMillis(300)), 0);
        Loopback.Recorder client = new Loopback.Recorder();
        connect(client);
        BlazeException cause = assertInstanceOf(BlazeException.class, client.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(ErrorCode.TIMEOUT, cause.code());
    }

    @Test
    void keepalivesFromTheEventLoopsKeepALinkWithoutSyncTrafficOpen() throws Exception {
        NetLimits limits = Loopback.LIMITS.withIdleTimeout(Duration.ofMillis(600));
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        Loopback.Recorder client = new Loopback.Recorder();
        NettyLink link = net.connect(TlsContexts.client(), limits, new ClientCredentials("c", TOKEN),
                FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint())), client)
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue((link.capabilities() & Protocol.CAP_KEEPALIVE) != 0);
        // Nobody sends a DATA frame; a KEEPALIVE goes after 200 ms without writing. Ten each way span
        // more than three idle timeouts, so without them both ends would have closed the link.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Loopback.WAIT_SECONDS);
        while (link.keepalivesReceivedForTest() < 10 || serverLink.keepalivesReceivedForTest() < 10) {
            assertTrue(System.nanoTime() < deadline, "ten keepalives each way within " + Loopback.WAIT_SECONDS + " s");
            assertFalse(client.closed.isDone(), () -> "the link closed: " + client.closed.join());
            Thread.sleep(20);
        }
        assertTrue(link.isOpen() && serverLink.isOpen());
        assertFalse(client.closed.isDone());
        assertTrue(client.frames.isEmpty(), "keepalives do not reach the link handler");
    }

    @Test
    void peerThatDoesNotReadMakesTheLinkUnwritableAndIsCutOff() throws Exception {
        NetLimits limits = new NetLimits(NetLimits.MAX_FRAME_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60),
                10, 256 * 1024, Duration.ZERO);
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        Loopback.Recorder client = new Loopback.Recorder();
        NettyLink link = connect(client);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        clientChannelStopsReading(link);
        ByteBuffer chunk = ByteBuffer.allocate(32 * 1024);
        int sent = 0;
        while (serverLink.isOpen() && sent < 4096) {
            serverLink.send(chunk.duplicate());
            sent++;
        }
        assertFalse(serverLink.isOpen(), "a sender ignoring isWritable() is cut off within " + sent + " frames");
        BlazeException cause = assertInstanceOf(BlazeException.class, net.serverHandler.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, cause.code());
        assertTrue(net.serverHandler.writabilityChanges >= 1, "the handler heard the link become unwritable");
    }

    @Test
    void connectionOfAPeerThatStopsReadingClosesWhenItIsCutOff() throws Exception {
        NetLimits limits = new NetLimits(NetLimits.MAX_FRAME_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(60),
                10, 64 * 1024, Duration.ZERO);
        net = new Loopback().withSmallSocketBuffers().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        NettyLink client = net.connect(TlsContexts.client(), limits, new ClientCredentials("c", TOKEN),
                FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint())), new Loopback.Recorder())
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        clientChannelStopsReading(client);
        ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
        int sent = 0;
        while (serverLink.isOpen() && sent < 4096) {
            serverLink.send(chunk.duplicate());
            sent++;
        }
        assertFalse(serverLink.isOpen(), "cut off within " + sent + " frames");
        // The queued bytes can never be written, so only closing without waiting for them frees the
        // connection; the handler then hears why.
        BlazeException cause = assertInstanceOf(BlazeException.class,
                net.serverHandler.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS), "onClosed is called");
        assertEquals(ErrorCode.LIMIT_EXCEEDED, cause.code());
        assertTrue(serverLink.channelForTest().closeFuture().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS),
                "the server's connection is closed");
    }

    @Test
    void idleTimeoutClosesTheConnectionOfAPeerThatNeitherReadsNorWrites() throws Exception {
        NetLimits limits = new NetLimits(NetLimits.MAX_FRAME_BYTES, Duration.ofSeconds(10), Duration.ofMillis(1500),
                10, 64 * 1024, Duration.ZERO);
        net = new Loopback().withSmallSocketBuffers().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        NettyLink client = net.connect(TlsContexts.client(), limits, new ClientCredentials("c", TOKEN),
                FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint())), new Loopback.Recorder())
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        // The client's process hangs: it neither reads nor sends keepalives any more.
        client.channelForTest().eventLoop().submit(() -> {
            client.channelForTest().pipeline().remove("idle");
            client.channelForTest().config().setAutoRead(false);
        }).sync();
        ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
        int sent = 0;
        while (serverLink.isWritable() && sent < 4096) { // a well-behaved sender: stops when not writable
            serverLink.send(chunk.duplicate());
            sent++;
        }
        // The TIMEOUT ERROR frame waits behind the unread bytes; the connection closes all the same.
        BlazeException cause = assertInstanceOf(BlazeException.class,
                net.serverHandler.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS), "onClosed is called");
        assertEquals(ErrorCode.TIMEOUT, cause.code());
        assertTrue(serverLink.channelForTest().closeFuture().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS),
                "the server's connection is closed");
    }

    private static void clientChannelStopsReading(NettyLink link) throws Exception {
        link.channelForTest().config().setAutoRead(false);
        link.channelForTest().eventLoop().submit(() -> { }).sync();
    }

    @Test
    void opensslSeesTls13WithAes256Gcm() throws Exception {
        File openssl = new File("/usr/bin/openssl");
        assumeTrue(openssl.canExecute(), "openssl is not installed");
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, 0);
        Process p = new ProcessBuilder(openssl.getPath(), "s_client", "-connect", "127.0.0.1:" + net.port, "-brief")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(Loopback.WAIT_SECONDS, TimeUnit.SECONDS), "openssl s_client finished");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Protocol version: TLSv1.3"), text);
        assertTrue(text.contains("Ciphersuite: TLS_AES_256_GCM_SHA384"), text);
        Process old = new ProcessBuilder(openssl.getPath(), "s_client", "-connect", "127.0.0.1:" + net.port, "-brief", "-tls1_2")
                .redirectErrorStream(true).start();
        old.getOutputStream().close();
        assertTrue(old.waitFor(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(old.exitValue() != 0, "a TLS 1.2 client fails");
    }
}
