package org.blazedb.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;
import org.blazedb.net.ClientCredentials;
import org.blazedb.net.ClientInitializer;
import org.blazedb.net.FingerprintPins;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NettyLink;
import org.blazedb.net.NodeIdentity;
import org.blazedb.net.Permission;
import org.blazedb.net.TlsContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BlazeServer on 127.0.0.1 with a real client: links reach the sync engine, or are told it is absent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlazeServerTest {
    static final long WAIT = 20;

    @TempDir
    Path data;
    final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    BlazeServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.deactivate();
        }
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(WAIT, TimeUnit.SECONDS);
    }

    static ServerConfig config(Map<String, Object> overrides) {
        return (ServerConfig) Proxy.newProxyInstance(ServerConfig.class.getClassLoader(), new Class<?>[] {ServerConfig.class},
                (proxy, method, args) -> overrides.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    CompletableFuture<NettyLink> connect(String peer, String token, Recorder handler) {
        return connect(peer, token, handler, new io.netty.channel.Channel[1]);
    }

    /** As above; {@code channel[0]} is set to the client's channel. */
    CompletableFuture<NettyLink> connect(String peer, String token, Recorder handler, io.netty.channel.Channel[] channel) {
        URI address = URI.create("tcp://127.0.0.1:" + server.address().getPort());
        ClientInitializer init;
        try {
            init = new ClientInitializer(TlsContexts.client(), NetLimits.DEFAULTS, new ClientCredentials(peer, token),
                    FingerprintPins.configured(Map.of("127.0.0.1:" + server.address().getPort(), server.fingerprint())), address, handler);
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
        channel[0] = new Bootstrap().group(clients).channel(NioSocketChannel.class).handler(init)
                .connect("127.0.0.1", address.getPort()).channel();
        return init.result();
    }

    @Test
    void listensOnLoopbackByDefaultAndKeepsItsIdentityAcrossRestarts() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk")), data);
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        String fingerprint = server.fingerprint();
        assertEquals(NodeIdentity.loadOrCreate(data).fingerprint(), fingerprint);
        server.deactivate();
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk")), data);
        assertEquals(fingerprint, server.fingerprint());
    }

    Path viewerToken(String token) throws java.io.IOException {
        return java.nio.file.Files.writeString(data.resolve("viewer-token"), token + "\n");
    }

    static BlazeException refusal(CompletableFuture<NettyLink> connecting) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connecting.get(WAIT, TimeUnit.SECONDS));
        return assertInstanceOf(BlazeException.class, e.getCause());
    }

    @Test
    void authenticatedLinkIsHandedToTheSyncEngine() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk",
                "read_only_peers", new String[] {"viewer=" + viewerToken("viewer-tk")})), data);
        FakeSync sync = new FakeSync();
        server.sync = sync;
        NettyLink link = connect("writer", "tk", new Recorder()).get(WAIT, TimeUnit.SECONDS);
        link.send(ByteBuffer.wrap("HELLO".getBytes(StandardCharsets.US_ASCII)));
        Link accepted = sync.links.poll(WAIT, TimeUnit.SECONDS);
        assertEquals("tcp", accepted.relay());
        assertEquals("HELLO", StandardCharsets.US_ASCII.decode(sync.handler.frames.poll(WAIT, TimeUnit.SECONDS)).toString());

        NettyLink viewer = connect("viewer", "viewer-tk", new Recorder()).get(WAIT, TimeUnit.SECONDS);
        assertEquals(Permission.READ_ONLY, viewer.permission());
    }

    /**
     * Peer ids are only claimed. A read-only peer knows its own token only, so presenting another
     * id (to be let in read-write under the shared token) fails; the shared token does not open
     * the read-only peer's id either.
     */
    @Test
    void aReadOnlyPeerGetsInUnderItsOwnIdOnlyAndReadOnly() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk", "auth_failure_delay_ms", 0L,
                "read_only_peers", new String[] {" viewer = " + viewerToken("viewer-tk")})), data);
        server.sync = new FakeSync();
        assertEquals(Permission.READ_ONLY, connect("viewer", "viewer-tk", new Recorder()).get(WAIT, TimeUnit.SECONDS).permission());
        assertEquals(ErrorCode.AUTH_FAILED, refusal(connect("viewer-renamed", "viewer-tk", new Recorder())).code(),
                "the read-only peer's token under another id");
        assertEquals(ErrorCode.AUTH_FAILED, refusal(connect("viewer", "tk", new Recorder())).code(),
                "the shared token under the read-only peer's id");
        assertEquals(Permission.READ_WRITE, connect("writer", "tk", new Recorder()).get(WAIT, TimeUnit.SECONDS).permission());
    }

    @Test
    void aReadOnlyPeerWithoutATokenOfItsOwnRefusesToStartTheServer() throws Exception {
        BlazeException bare = assertThrows(BlazeException.class, () -> new BlazeServer(config(Map.of("port", 0, "_token", "tk",
                "read_only_peers", new String[] {"viewer"})), data));
        assertEquals(ErrorCode.INVALID_VALUE, bare.code());
        assertTrue(bare.getMessage().contains("viewer=/path/to/that/file"), bare.getMessage());

        BlazeException missing = assertThrows(BlazeException.class, () -> new BlazeServer(config(Map.of("port", 0, "_token", "tk",
                "read_only_peers", new String[] {"viewer=" + data.resolve("no-such-file")})), data));
        assertEquals(ErrorCode.IO_FAILURE, missing.code());
        assertTrue(missing.getMessage().contains("Read-only peer 'viewer'"), missing.getMessage());

        BlazeException shared = assertThrows(BlazeException.class, () -> new BlazeServer(config(Map.of("port", 0, "_token", "tk",
                "read_only_peers", new String[] {"viewer=" + viewerToken("tk")})), data));
        assertEquals(ErrorCode.INVALID_VALUE, shared.code());
        assertTrue(shared.getMessage().contains("has the shared token"), shared.getMessage());
    }

    @Test
    void withoutASyncEngineAuthenticatedPeersAreToldUnavailable() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk")), data);
        Recorder client = new Recorder();
        connect("writer", "tk", client).get(WAIT, TimeUnit.SECONDS);
        BlazeException cause = assertInstanceOf(BlazeException.class, client.closed.get(WAIT, TimeUnit.SECONDS));
        assertEquals(ErrorCode.UNAVAILABLE, cause.code());
    }

    @Test
    void withoutATokenEveryPeerIsRefused() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "auth_failure_delay_ms", 0L)), data);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect("writer", "anything", new Recorder()).get(WAIT, TimeUnit.SECONDS));
        assertEquals(ErrorCode.AUTH_FAILED, assertInstanceOf(BlazeException.class, e.getCause()).code());
    }

    @Test
    void aTokenFileAuthenticatesAndTheLinkCarriesTheReadOnlyGrant() throws Exception {
        Path tokenFile = java.nio.file.Files.writeString(data.resolve("token"), "from-a-file\n");
        server = new BlazeServer(config(Map.of("port", 0, "token_file", tokenFile.toString(),
                "read_only_peers", new String[] {"viewer=" + viewerToken("viewer-from-a-file")})), data);
        assertTrue(server.acceptsPeers());
        FakeSync sync = new FakeSync();
        server.sync = sync;
        NettyLink viewer = connect("viewer", "viewer-from-a-file", new Recorder()).get(WAIT, TimeUnit.SECONDS);
        assertTrue(viewer.readOnly(), "the client learns it is read-only");
        assertTrue(sync.links.poll(WAIT, TimeUnit.SECONDS).readOnly(), "the engine is told the peer is read-only");
        NettyLink writer = connect("writer", "from-a-file", new Recorder()).get(WAIT, TimeUnit.SECONDS);
        assertEquals(false, writer.readOnly());
    }

    @Test
    void aTokenAndATokenFileTogetherAreRefused() throws Exception {
        Path tokenFile = java.nio.file.Files.writeString(data.resolve("token"), "t");
        BlazeException e = assertThrows(BlazeException.class,
                () -> new BlazeServer(config(Map.of("port", 0, "_token", "t", "token_file", tokenFile.toString())), data));
        assertEquals(ErrorCode.INVALID_VALUE, e.code());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk")), data);
        BlazeException e = assertThrows(BlazeException.class,
                () -> new BlazeServer(config(Map.of("port", server.address().getPort(), "_token", "tk")), data));
        assertEquals(ErrorCode.IO_FAILURE, e.code());
        assertTrue(e.getMessage().contains("configure another port"), e.getMessage());
    }

    /**
     * A server stopping while a peer is not reading (its link's outbound bytes waiting, the TLS
     * close_notify behind them) still closes the connection and tells the engine: the link must
     * not outlive the event loops, which would leave it open with nobody to serve it.
     */
    @Test
    void stoppingClosesALinkWhosePeerIsNotReadingAndTellsTheEngine() throws Exception {
        server = new BlazeServer(config(Map.of("port", 0, "_token", "tk", "max_pending_bytes", 64 * 1024)), data);
        FakeSync sync = new FakeSync();
        server.sync = sync;
        io.netty.channel.Channel[] client = new io.netty.channel.Channel[1];
        NettyLink clientLink = connect("writer", "tk", new Recorder(), client).get(WAIT, TimeUnit.SECONDS);
        clientLink.send(ByteBuffer.wrap(new byte[] {1}));
        Link accepted = sync.links.poll(WAIT, TimeUnit.SECONDS);
        client[0].config().setAutoRead(false);
        for (int i = 0; i < 100_000 && accepted.isWritable(); i++) {
            accepted.send(ByteBuffer.allocate(16 * 1024));
        }
        assertTrue(!accepted.isWritable(), "the peer's socket is full");

        server.deactivate();
        sync.handler.closed.get(WAIT, TimeUnit.SECONDS); // never completed while the link outlived its event loop
        assertTrue(!accepted.isOpen(), "the link is closed");
        accepted.send(ByteBuffer.allocate(1)); // dropped, as on any closed link
        server = null;
    }

    static class Recorder implements LinkHandler {
        final BlockingQueue<ByteBuffer> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onFrame(Link link, ByteBuffer frame) {
            frames.add(frame);
        }

        @Override
        public void onWritabilityChanged(Link link) {
        }

        @Override
        public void onClosed(Link link, Throwable cause) {
            closed.complete(cause);
        }
    }

    static final class FakeSync implements SyncService {
        final BlockingQueue<Link> links = new LinkedBlockingQueue<>();
        final Recorder handler = new Recorder();

        @Override
        public LinkHandler accept(Link link) {
            links.add(link);
            return handler;
        }

        @Override
        public NodeId nodeId() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SyncStatusDTO status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<PeerStatusDTO> peers() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<PeerStatusDTO> connect(URI address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean disconnect(URI address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
            throw new UnsupportedOperationException();
        }
    }
}
