package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.LinkHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random and mutated byte streams through the server's frame decoder and handshake state
 * machine (an {@link EmbeddedChannel}, TLS taken as established), and random bodies through every
 * message decoder. Nothing may escape but the documented outcomes: a refusal with one of the
 * protocol's codes, or a connection still waiting for more bytes. No buffer may grow beyond the
 * frame limit ({@link CappedAllocator} throws if one tries). A failing seed is printed for replay.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HandshakeFuzzTest {
    static final int SEEDS = 3000;
    static final int MAX = 4096;
    static final Set<ErrorCode> DOCUMENTED = EnumSet.of(ErrorCode.PROTOCOL_ERROR, ErrorCode.LIMIT_EXCEEDED,
            ErrorCode.UNSUPPORTED_VERSION, ErrorCode.AUTH_FAILED, ErrorCode.PEER_UNREACHABLE);
    static final NetLimits LIMITS = NetLimits.DEFAULTS.withMaxFrameBytes(MAX).withAuthFailureDelay(Duration.ZERO);

    @Test
    void randomAndMutatedStreamsOnlyEverEndInDocumentedRefusals() {
        int refused = 0;
        int waiting = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            try {
                if (runOne(seed)) {
                    refused++;
                } else {
                    waiting++;
                }
            } catch (Throwable t) {
                fail("seed " + seed + " failed (replay with runOne(" + seed + ")): " + t, t);
            }
        }
        assertEquals(SEEDS, refused + waiting);
        assertTrue(refused > SEEDS / 2, "most hostile streams are refused, not left waiting: " + refused);
    }

    /** @return whether the connection was refused (else it is still waiting for bytes) */
    static boolean runOne(int seed) {
        Random random = new Random(seed);
        CappedAllocator alloc = new CappedAllocator(MAX + FrameDecoder.LENGTH_BYTES + 512);
        List<BlazeException> refusals = new ArrayList<>();
        LinkAcceptor acceptor = new LinkAcceptor() {
            @Override
            public LinkHandler accept(NettyLink link) {
                throw new AssertionError("a hostile stream was accepted");
            }

            @Override
            public void refused(SocketAddress remote, BlazeException reason) {
                refusals.add(reason);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast("frameDecoder", new FrameDecoder(MAX));
        ch.pipeline().addLast("frameEncoder", new FrameEncoder(MAX));
        ch.pipeline().addLast("handshake", new ServerHandshakeHandler(LIMITS, PeerAccess.sharedToken("t"), acceptor, "tcp"));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);

        byte[] stream = stream(random);
        int offset = 0;
        while (offset < stream.length && ch.isActive()) {
            int n = Math.min(stream.length - offset, 1 + random.nextInt(300));
            ch.writeInbound(alloc.buffer(n, n).writeBytes(stream, offset, n));
            offset += n;
        }
        ch.runPendingTasks();
        ch.checkException();
        // Whatever the server wrote back is a well-formed SERVER_HELLO or ERROR frame.
        for (ByteBuf out; (out = ch.readOutbound()) != null; ) {
            checkOutbound(ch, out);
        }
        ch.finishAndReleaseAll();
        assertTrue(refusals.size() <= 1, "one refusal per connection: " + refusals);
        if (refusals.isEmpty()) {
            return false;
        }
        BlazeException reason = refusals.get(0);
        assertTrue(DOCUMENTED.contains(reason.code()), "undocumented outcome " + reason);
        assertTrue(reason.getMessage() != null && !reason.getMessage().isBlank());
        return true;
    }

    private static void checkOutbound(EmbeddedChannel ch, ByteBuf header) {
        int length = header.readInt();
        header.release();
        ByteBuf body = ch.readOutbound();
        try {
            assertEquals(length, body.readableBytes());
            byte type = body.getByte(body.readerIndex());
            if (type == FrameType.SERVER_HELLO) {
                HandshakeMessages.decodeServerHello(body);
            } else {
                HandshakeMessages.decodeError(body);
            }
        } finally {
            body.release();
        }
    }

    /** One of: pure noise, a valid handshake mutated, or frames with valid prefixes and hostile bodies. */
    static byte[] stream(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> noise(random, random.nextInt(2000));
            case 1 -> mutate(random, validStream(random));
            default -> hostileFrames(random);
        };
    }

    static byte[] validStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, HandshakeMessages.encode(Unpooled.buffer().alloc(),
                new HandshakeMessages.ClientHello(new int[] {1 + random.nextInt(2)}, random.nextInt(), noise(random, 32))));
        frame(out, HandshakeMessages.encode(Unpooled.buffer().alloc(),
                new HandshakeMessages.ClientAuth("peer-" + random.nextInt(100), noise(random, random.nextBoolean() ? 32 : 0))));
        frame(out, Unpooled.wrappedBuffer(new byte[] {FrameType.DATA, 1, 2, 3}));
        frame(out, HandshakeMessages.encode(Unpooled.buffer().alloc(), new HandshakeMessages.ErrorFrame(401, "bye")));
        return out.toByteArray();
    }

    static byte[] hostileFrames(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(6);
        byte[] types = {FrameType.CLIENT_HELLO, FrameType.SERVER_HELLO, FrameType.CLIENT_AUTH, FrameType.SERVER_AUTH,
                FrameType.DATA, FrameType.ERROR, (byte) random.nextInt(256)};
        for (int i = 0; i < frames; i++) {
            byte[] body = noise(random, 1 + random.nextInt(200));
            body[0] = types[random.nextInt(types.length)];
            if (body[0] == FrameType.CLIENT_HELLO && body.length > 5 && random.nextBoolean()) {
                body[1] = 0x42; body[2] = 0x4C; body[3] = 0x5A; body[4] = 0x4E; // the magic, to get further
            }
            frame(out, Unpooled.wrappedBuffer(body));
        }
        if (random.nextInt(10) == 0) {
            out.writeBytes(new byte[] {(byte) 0x80, 0, 0, 0}); // a length of 2 GiB
        }
        return out.toByteArray();
    }

    static byte[] mutate(Random random, byte[] valid) {
        byte[] b = valid.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
                default -> {
                    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(8));
                    System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
                    b = longer; // insert garbage (zeros) in the middle
                }
            }
        }
        return b;
    }

    static void frame(ByteArrayOutputStream out, ByteBuf body) {
        byte[] bytes = ByteBufUtil.getBytes(body);
        body.release();
        out.writeBytes(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
        out.writeBytes(bytes);
    }

    static byte[] noise(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void everyMessageDecoderRejectsRandomBodiesWithProtocolErrorOnly() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = noise(random, random.nextInt(80));
            if (body.length > 0 && random.nextBoolean()) {
                body[0] = (byte) (1 + random.nextInt(4));
            }
            for (int decoder = 0; decoder < 5; decoder++) {
                ByteBuf buf = Unpooled.wrappedBuffer(body);
                try {
                    switch (decoder) {
                        case 0 -> HandshakeMessages.decodeClientHello(buf);
                        case 1 -> HandshakeMessages.decodeServerHello(buf);
                        case 2 -> HandshakeMessages.decodeClientAuth(buf);
                        case 3 -> HandshakeMessages.decodeServerAuth(buf);
                        default -> HandshakeMessages.decodeError(buf);
                    }
                } catch (BlazeException e) {
                    assertEquals(ErrorCode.PROTOCOL_ERROR, e.code(), "body " + ByteBufUtil.hexDump(body));
                } catch (RuntimeException e) {
                    fail("decoder " + decoder + " threw " + e + " on " + ByteBufUtil.hexDump(body), e);
                }
            }
        }
    }

    @Test
    void validMessagesRoundTrip() {
        var alloc = io.netty.buffer.UnpooledByteBufAllocator.DEFAULT;
        var hello = HandshakeMessages.decodeClientHello(HandshakeMessages.encode(alloc,
                new HandshakeMessages.ClientHello(new int[] {1, 7}, 5, new byte[32])));
        assertEquals(7, hello.versions()[1]);
        assertEquals(5, hello.capabilities());
        var auth = HandshakeMessages.decodeClientAuth(HandshakeMessages.encode(alloc,
                new HandshakeMessages.ClientAuth("nœud", new byte[32])));
        assertEquals("nœud", auth.peerId());
        var error = HandshakeMessages.decodeError(HandshakeMessages.encode(alloc,
                new HandshakeMessages.ErrorFrame(402, "é".repeat(2000))));
        assertEquals(402, error.code());
        assertTrue(error.reason().length() <= HandshakeMessages.MAX_REASON_BYTES / 2, "long reasons are cut on a character boundary");
    }
}
