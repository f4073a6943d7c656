package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every way a client is refused, over real TLS on 127.0.0.1; each with its code and a clear message. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefusalLoopbackTest {
    static final String TOKEN = "s3cret";

    @TempDir
    Path dir;
    NodeIdentity serverId = NodeIdentity.generate();
    Loopback net;

    @AfterEach
    void stop() throws Exception {
        if (net != null) {
            net.close();
        }
    }

    Loopback start(NetLimits limits) throws Exception {
        net = new Loopback().start(serverId, PeerAccess.sharedToken(TOKEN), limits, 0);
        return net;
    }

    FingerprintPins pins() {
        return FingerprintPins.configured(Map.of("127.0.0.1:" + net.port, serverId.fingerprint()));
    }

    static BlazeException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(BlazeException.class, e.getCause());
    }

    /** A TLS client that speaks raw frames: {@code script} runs on TLS up and on each frame (null on TLS up). */
    final class RawClient extends ChannelInitializer<SocketChannel> {
        final BlockingQueue<HandshakeMessages.ErrorFrame> errors = new LinkedBlockingQueue<>();
        final SslContext ssl;
        final BiConsumer<ChannelHandlerContext, ByteBuf> script;
        final boolean withEncoder;

        RawClient(BiConsumer<ChannelHandlerContext, ByteBuf> script, boolean withEncoder) throws Exception {
            this.ssl = TlsContexts.client();
            this.script = script;
            this.withEncoder = withEncoder;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "127.0.0.1", net.port));
            ch.pipeline().addLast(new FrameDecoder(NetLimits.MAX_FRAME_BYTES));
            if (withEncoder) {
                ch.pipeline().addLast(new FrameEncoder(NetLimits.MAX_FRAME_BYTES));
            }
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                        script.accept(ctx, null);
                    }
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf body = (ByteBuf) msg;
                    try {
                        if (body.getByte(body.readerIndex()) == FrameType.ERROR) {
                            errors.add(HandshakeMessages.decodeError(body));
                        } else {
                            script.accept(ctx, body);
                        }
                    } finally {
                        ReferenceCountUtil.release(body);
                    }
                }
            });
        }

        HandshakeMessages.ErrorFrame nextError() throws InterruptedException {
            HandshakeMessages.ErrorFrame e = errors.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "no ERROR frame within " + Loopback.WAIT_SECONDS + " s");
            return e;
        }
    }

    @Test
    void responseCapturedOnOneConnectionIsRefusedOnAnother() throws Exception {
        start(Loopback.LIMITS);
        // Connection 1: a genuine client whose outgoing handshake frames are recorded.
        BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        ClientInitializer genuine = new ClientInitializer(TlsContexts.client(), Loopback.LIMITS,
                new ClientCredentials("node-a", TOKEN), pins(), net.address(), new Loopback.Recorder());
        net.connectRaw(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) throws Exception {
                genuine.initChannel(ch);
                ch.pipeline().addBefore("handshake", "recorder", new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                        sent.add(ByteBufUtil.getBytes((ByteBuf) msg));
                        super.write(ctx, msg, promise);
                    }
                });
            }
        });
        genuine.result().get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        byte[] hello = sent.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        byte[] auth = sent.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(FrameType.CLIENT_HELLO, hello[0]);
        assertEquals(FrameType.CLIENT_AUTH, auth[0]);

        // Connection 2: the same bytes replayed.
        RawClient replay = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
            } else if (frame.getByte(frame.readerIndex()) == FrameType.SERVER_HELLO) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(auth));
            }
        }, true);
        net.connectRaw(replay);
        assertEquals(ErrorCode.AUTH_FAILED.number(), replay.nextError().code());
        assertEquals(ErrorCode.AUTH_FAILED, net.nextRefusal().code());
        assertEquals(1, net.accepted.size(), "only the genuine connection was accepted");
    }

    /**
     * A client that answers SERVER_HELLO with one CLIENT_AUTH per token, all in one flush, and
     * then, if {@code dataBytes > 0}, a DATA frame of that many bytes; it records the type of every
     * frame it receives but ERROR.
     */
    RawClient pipelinedGuesses(List<String> tokens, int dataBytes, BlockingQueue<Byte> received) throws Exception {
        byte[][] clientHello = new byte[1][];
        return new RawClient((ctx, frame) -> {
            if (frame == null) {
                ByteBuf hello = HandshakeMessages.encode(ctx.alloc(),
                        new HandshakeMessages.ClientHello(Protocol.SUPPORTED_VERSIONS, Protocol.CAPABILITIES, new byte[32]));
                clientHello[0] = ByteBufUtil.getBytes(hello);
                ctx.writeAndFlush(hello);
                return;
            }
            received.add(frame.getByte(frame.readerIndex()));
            if (frame.getByte(frame.readerIndex()) == FrameType.SERVER_HELLO) {
                byte[] transcript = AuthProof.transcript(clientHello[0], ByteBufUtil.getBytes(frame));
                byte[] binding = AuthProof.serverCert(serverId.fingerprint());
                for (String token : tokens) {
                    byte[] proof = AuthProof.client(token.getBytes(StandardCharsets.UTF_8), binding, transcript, "x");
                    ctx.write(HandshakeMessages.encode(ctx.alloc(), new HandshakeMessages.ClientAuth("x", proof)));
                }
                if (dataBytes > 0) {
                    ctx.write(Unpooled.buffer(1 + dataBytes).writeByte(FrameType.DATA).writeZero(dataBytes));
                }
                ctx.flush();
            }
        }, true);
    }

    @Test
    void guessesPipelinedBehindAWrongOneAreNotCheckedDuringTheAuthFailureDelay() throws Exception {
        Duration delay = Duration.ofSeconds(1);
        start(Loopback.LIMITS.withAuthFailureDelay(delay));
        BlockingQueue<Byte> received = new LinkedBlockingQueue<>();
        // Five wrong guesses and then the right token, in one flight.
        RawClient guesser = pipelinedGuesses(List.of("guess0", "guess1", "guess2", "guess3", "guess4", TOKEN), 0, received);
        long start = System.nanoTime();
        net.connectRaw(guesser);
        assertEquals(ErrorCode.AUTH_FAILED.number(), guesser.nextError().code());
        long waited = System.nanoTime() - start;
        assertTrue(waited >= delay.toNanos(), "refused after " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms, before the delay");
        assertEquals(List.of(FrameType.SERVER_HELLO), List.copyOf(received), "no SERVER_AUTH for the right token behind the wrong one");
        assertEquals(ErrorCode.AUTH_FAILED, net.nextRefusal().code());
        assertTrue(net.accepted.isEmpty(), "no link was accepted");
    }

    @Test
    void rightTokenPipelinedBehindAWrongOneIsRefusedAndNothingBehindItIsRead() throws Exception {
        start(Loopback.LIMITS.withAuthFailureDelay(Duration.ofMillis(200)));
        BlockingQueue<Byte> received = new LinkedBlockingQueue<>();
        RawClient guesser = pipelinedGuesses(List.of("nope", TOKEN), 1, received);
        net.connectRaw(guesser);
        assertEquals(ErrorCode.AUTH_FAILED.number(), guesser.nextError().code());
        assertEquals(ErrorCode.AUTH_FAILED, net.nextRefusal().code());
        assertTrue(net.accepted.isEmpty(), "no link was accepted");
        assertTrue(net.serverHandler.frames.isEmpty(), "the DATA frame reached no link handler");
    }

    @Test
    void clientOfferingOnlyTls12IsRefused() throws Exception {
        start(Loopback.LIMITS);
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        BlazeException client = failure(net.connect(tls12, new ClientCredentials("old", TOKEN), pins(), new Loopback.Recorder()));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, client.code(), client.getMessage());
        BlazeException server = net.nextRefusal();
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, server.code(), server.getMessage());
        assertTrue(server.getMessage().contains("TLS 1.3"), server.getMessage());
    }

    @Test
    void plaintextClientIsRefusedAndGetsNothingBack() throws Exception {
        start(Loopback.LIMITS);
        try (Socket socket = new Socket("127.0.0.1", net.port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            byte[] hello = ByteBufUtil.getBytes(HandshakeMessages.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
                    new HandshakeMessages.ClientHello(Protocol.SUPPORTED_VERSIONS, 0, new byte[32])));
            out.write(new byte[] {0, 0, 0, (byte) hello.length});
            out.write(hello);
            out.flush();
            InputStream in = socket.getInputStream();
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException reset) {
                b = -1;
            }
            assertEquals(-1, b, "the server closes without answering in plaintext");
        }
        BlazeException server = net.nextRefusal();
        assertEquals(ErrorCode.PROTOCOL_ERROR, server.code());
        assertTrue(server.getMessage().contains("did not speak TLS"), server.getMessage());
    }

    @Test
    void changedServerCertificateIsRefusedNamingBothFingerprints() throws Exception {
        start(Loopback.LIMITS);
        FingerprintPins tofu = FingerprintPins.trustOnFirstUse(dir.resolve("known-servers"), Map.of());
        net.connect(TlsContexts.client(), new ClientCredentials("node-a", TOKEN), tofu, new Loopback.Recorder())
                .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
        int port = net.port;
        net.close();

        NodeIdentity impostor = NodeIdentity.generate();
        net = new Loopback().start(impostor, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, port);
        FingerprintPins reloaded = FingerprintPins.trustOnFirstUse(dir.resolve("known-servers"), Map.of());
        BlazeException client = failure(net.connect(TlsContexts.client(), new ClientCredentials("node-a", TOKEN), reloaded,
                new Loopback.Recorder()));
        assertEquals(ErrorCode.CERTIFICATE_MISMATCH, client.code());
        assertTrue(client.getMessage().contains(serverId.fingerprint()), client.getMessage());
        assertTrue(client.getMessage().contains(impostor.fingerprint()), client.getMessage());
        assertEquals(ErrorCode.CERTIFICATE_MISMATCH, net.nextRefusal().code(), "the client tells the server why");
        assertTrue(net.accepted.isEmpty());
    }

    @Test
    void oversizedLengthPrefixIsRefusedWithLimitExceeded() throws Exception {
        start(Loopback.LIMITS);
        RawClient huge = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ctx.writeAndFlush(Unpooled.buffer(4).writeInt(0x7fffffff));
            }
        }, false);
        net.connectRaw(huge);
        assertEquals(ErrorCode.LIMIT_EXCEEDED.number(), huge.nextError().code());
        assertEquals(ErrorCode.LIMIT_EXCEEDED, net.nextRefusal().code());
    }

    @Test
    void beforeAuthenticationAFrameOverTheHandshakeLimitIsRefusedOnItsPrefixAlone() throws Exception {
        start(Loopback.LIMITS);
        // Only the 4-byte prefix, announcing one payload byte more than the handshake limit: a server
        // willing to buffer it would wait for the body and time out instead.
        RawClient large = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ctx.writeAndFlush(Unpooled.buffer(4).writeInt(FrameDecoder.TYPE_BYTES + NetLimits.MAX_HANDSHAKE_FRAME_BYTES + 1));
            }
        }, false);
        net.connectRaw(large);
        assertEquals(ErrorCode.LIMIT_EXCEEDED.number(), large.nextError().code());
        assertEquals(ErrorCode.LIMIT_EXCEEDED, net.nextRefusal().code());

        // A frame of exactly the limit is read (and then refused for what it holds, not its size).
        RawClient padded = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ByteBuf hello = HandshakeMessages.encode(ctx.alloc(),
                        new HandshakeMessages.ClientHello(Protocol.SUPPORTED_VERSIONS, Protocol.CAPABILITIES, new byte[32]));
                ctx.writeAndFlush(hello.writeZero(FrameDecoder.TYPE_BYTES + NetLimits.MAX_HANDSHAKE_FRAME_BYTES - hello.readableBytes()));
            }
        }, true);
        net.connectRaw(padded);
        HandshakeMessages.ErrorFrame error = padded.nextError();
        assertEquals(ErrorCode.PROTOCOL_ERROR.number(), error.code());
        assertTrue(error.reason().contains("trailing bytes"), error.reason());
    }

    @Test
    void aDataFramePipelinedBehindClientAuthIsReadWithTheLinksFrameLimit() throws Exception {
        start(Loopback.LIMITS);
        int size = 64 * 1024; // far over the handshake limit, within the link's
        RawClient eager = pipelinedGuesses(List.of(TOKEN), size, new LinkedBlockingQueue<>());
        net.connectRaw(eager);
        assertNotNull(net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS), "the link was accepted");
        assertEquals(size, net.serverHandler.nextFrame().remaining());
    }

    @Test
    void unsupportedProtocolVersionIsRefused() throws Exception {
        start(Loopback.LIMITS);
        RawClient future = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ctx.writeAndFlush(HandshakeMessages.encode(ctx.alloc(),
                        new HandshakeMessages.ClientHello(new int[] {99, 100}, 0, new byte[32])));
            }
        }, true);
        net.connectRaw(future);
        HandshakeMessages.ErrorFrame error = future.nextError();
        assertEquals(ErrorCode.UNSUPPORTED_VERSION.number(), error.code());
        assertTrue(error.reason().contains("[99, 100]"), error.reason());
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, net.nextRefusal().code());
    }

    @Test
    void silentClientTimesOut() throws Exception {
        start(Loopback.LIMITS.withHandshakeTimeout(Duration.ofMillis(300)));
        RawClient silent = new RawClient((ctx, frame) -> { }, true);
        net.connectRaw(silent);
        assertEquals(ErrorCode.TIMEOUT.number(), silent.nextError().code());
        assertEquals(ErrorCode.TIMEOUT, net.nextRefusal().code());
    }

    @Test
    void dataBeforeAuthenticationIsAProtocolError() throws Exception {
        start(Loopback.LIMITS);
        RawClient eager = new RawClient((ctx, frame) -> {
            if (frame == null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {FrameType.DATA, 1, 2, 3}));
            }
        }, true);
        net.connectRaw(eager);
        assertEquals(ErrorCode.PROTOCOL_ERROR.number(), eager.nextError().code());
        assertEquals(ErrorCode.PROTOCOL_ERROR, net.nextRefusal().code());
    }
}
