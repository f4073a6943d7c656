package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.Link;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The handshake over real TLS on 127.0.0.1: success, and each way a client is refused. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeLoopbackTest {
    static final String TOKEN = "correct horse battery staple";

    @TempDir
    java.nio.file.Path dataFolder;
    NodeIdentity serverId;
    Loopback net;
    SslContext clientSsl;

    @BeforeEach
    void start() throws Exception {
        // Created, then reloaded from the data folder as on a node's restart: the reloaded key serves TLS.
        NodeIdentity created = NodeIdentity.loadOrCreate(dataFolder);
        serverId = NodeIdentity.loadOrCreate(dataFolder);
        assertEquals(created.fingerprint(), serverId.fingerprint());
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN)
                .withPeer("reader", "reader-token", Permission.READ_ONLY), Loopback.LIMITS, 0);
        clientSsl = TlsContexts.client();
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    FingerprintPins pinned() {
        return FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint()));
    }

    static BlazeException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(BlazeException.class, e.getCause());
    }

    @Test
    void authenticatedLinkNegotiatesTls13WithAes256GcmAndCarriesFramesBothWays() throws Exception {
        Loopback.Recorder client = new Loopback.Recorder();
        NettyLink link = net.connect(clientSsl, new ClientCredentials("node-a", TOKEN), pinned(), client)
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);

        assertEquals("TLSv1.3", link.tlsSession().getProtocol());
        assertEquals("TLS_AES_256_GCM_SHA384", link.tlsSession().getCipherSuite());
        assertEquals("TLSv1.3", serverLink.tlsSession().getProtocol());
        assertEquals("TLS_AES_256_GCM_SHA384", serverLink.tlsSession().getCipherSuite());
        assertEquals(Protocol.VERSION_1, link.version());
        assertEquals(Protocol.CAPABILITIES, serverLink.capabilities());
        assertEquals("node-a", serverLink.peerId());
        assertEquals(Permission.READ_WRITE, link.permission());
        assertEquals(serverId.fingerprint(), link.peerFingerprint());
        assertEquals("tcp", serverLink.relay());

        link.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ping", StandardCharsets.UTF_8.decode(net.serverHandler.nextFrame()).toString());
        serverLink.send(ByteBuffer.wrap(new byte[0]));
        assertEquals(0, client.nextFrame().remaining());
        // Both ends left the handshake's small frame limit behind.
        link.send(ByteBuffer.allocate(64 * 1024));
        assertEquals(64 * 1024, net.serverHandler.nextFrame().remaining());
        serverLink.send(ByteBuffer.allocate(64 * 1024));
        assertEquals(64 * 1024, client.nextFrame().remaining());

        serverLink.close(ErrorCode.PERMISSION_DENIED, "test closes the link");
        Throwable cause = client.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        BlazeException blaze = assertInstanceOf(BlazeException.class, cause);
        assertEquals(ErrorCode.PERMISSION_DENIED, blaze.code());
        assertTrue(blaze.getMessage().contains("test closes the link"), blaze.getMessage());
        assertFalse(link.isOpen());
    }

    /** A link with the default limits carries the largest frame a sync engine sends (one 16 MiB operation and its headers). */
    @Test
    void aFrameOfTheLargestSizeASyncEngineSendsCrossesBothWays() throws Exception {
        Loopback.Recorder client = new Loopback.Recorder();
        NettyLink link = net.connect(clientSsl, new ClientCredentials("node-a", TOKEN), pinned(), client)
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        NettyLink serverLink = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);

        link.send(ByteBuffer.allocate(Link.MAX_FRAME_BYTES));
        assertEquals(Link.MAX_FRAME_BYTES, net.serverHandler.nextFrame().remaining());
        serverLink.send(ByteBuffer.allocate(Link.MAX_FRAME_BYTES));
        assertEquals(Link.MAX_FRAME_BYTES, client.nextFrame().remaining());
        assertTrue(link.isOpen() && serverLink.isOpen());
    }

    @Test
    void readOnlyPeerLearnsItsPermission() throws Exception {
        NettyLink link = net.connect(clientSsl, new ClientCredentials("reader", "reader-token"), pinned(), new Loopback.Recorder())
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(Permission.READ_ONLY, link.permission());
        assertEquals(Permission.READ_ONLY, net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS).permission());
    }

    @Test
    void wrongTokenIsRefusedWithAuthFailed() throws Exception {
        BlazeException client = failure(net.connect(clientSsl, new ClientCredentials("node-a", "wrong"), pinned(), new Loopback.Recorder()));
        assertEquals(ErrorCode.AUTH_FAILED, client.code());
        assertTrue(client.getMessage().contains("wrong token"), client.getMessage());
        assertEquals(ErrorCode.AUTH_FAILED, net.nextRefusal().code());
        assertTrue(net.accepted.isEmpty());
    }

    @Test
    void sharedTokenUnderAReadOnlyPeersIdIsRefused() throws Exception {
        BlazeException client = failure(net.connect(clientSsl, new ClientCredentials("reader", TOKEN), pinned(), new Loopback.Recorder()));
        assertEquals(ErrorCode.AUTH_FAILED, client.code());
    }

    /** Peer ids are only claimed: a read-only peer's own token must not open any other id. */
    @Test
    void readOnlyPeersOwnTokenUnderAnotherIdIsRefused() throws Exception {
        BlazeException client = failure(net.connect(clientSsl, new ClientCredentials("node-a", "reader-token"), pinned(),
                new Loopback.Recorder()));
        assertEquals(ErrorCode.AUTH_FAILED, client.code());
        assertTrue(net.accepted.isEmpty());
    }

    @Test
    void missingTokenIsRefusedWithAuthFailed() throws Exception {
        BlazeException client = failure(net.connect(clientSsl, new ClientCredentials("node-a", null), pinned(), new Loopback.Recorder()));
        assertEquals(ErrorCode.AUTH_FAILED, client.code());
        assertTrue(client.getMessage().contains("no token"), client.getMessage());
        assertEquals(ErrorCode.AUTH_FAILED, net.nextRefusal().code());
    }
}
