package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards {@code docs/protocol.md}'s claim to be precise enough for an independent implementation.
 * {@link FromTheDoc} encodes frames and proofs from the document's text alone, never through the
 * production encoders; the tests check that the production code makes the same bytes and takes
 * them, and that a peer speaking only what the document says, over the JDK's own TLS sockets,
 * completes a handshake with a BlazeDB server and with a BlazeDB client, and exchanges DATA,
 * KEEPALIVE and ERROR frames with it. A failure here means the document and the code disagree.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DocumentedWireFormatTest {
    static final String TOKEN = "a token both sides know";
    static final byte[] NONCE = nonce(7);

    @TempDir
    Path dataFolder;

    @Test
    void theProductionEncoderMakesTheDocumentsBytesAndTheDecoderTakesThem() {
        var alloc = UnpooledByteBufAllocator.DEFAULT;
        byte[] proof = nonce(3);

        byte[] clientHello = FromTheDoc.clientHello(new int[] {1}, 3, NONCE);
        assertArrayEquals(clientHello, bytes(HandshakeMessages.encode(alloc, new HandshakeMessages.ClientHello(new int[] {1}, 3, NONCE))));
        HandshakeMessages.ClientHello ch = HandshakeMessages.decodeClientHello(Unpooled.wrappedBuffer(
                FromTheDoc.clientHello(new int[] {7, 1}, 0x80000002, NONCE)));
        assertArrayEquals(new int[] {7, 1}, ch.versions());
        assertEquals(0x80000002, ch.capabilities());

        byte[] serverHello = FromTheDoc.serverHello(1, 2, NONCE);
        assertArrayEquals(serverHello, bytes(HandshakeMessages.encode(alloc, new HandshakeMessages.ServerHello(1, 2, NONCE))));
        assertEquals(2, HandshakeMessages.decodeServerHello(Unpooled.wrappedBuffer(serverHello)).capabilities());

        for (byte[] mac : new byte[][] {proof, new byte[0]}) {
            byte[] auth = FromTheDoc.clientAuth("nœud-a", mac);
            assertArrayEquals(auth, bytes(HandshakeMessages.encode(alloc, new HandshakeMessages.ClientAuth("nœud-a", mac))));
            HandshakeMessages.ClientAuth decoded = HandshakeMessages.decodeClientAuth(Unpooled.wrappedBuffer(auth));
            assertEquals("nœud-a", decoded.peerId());
            assertArrayEquals(mac, decoded.mac());
        }

        byte[] serverAuth = FromTheDoc.serverAuth(1, proof);
        assertArrayEquals(serverAuth, bytes(HandshakeMessages.encode(alloc, new HandshakeMessages.ServerAuth(Permission.READ_ONLY, proof))));
        assertEquals(Permission.READ_ONLY, HandshakeMessages.decodeServerAuth(Unpooled.wrappedBuffer(serverAuth)).permission());

        // A reason over 1,024 bytes is cut on a character boundary: 600 two-byte characters make 1,200 bytes.
        for (String reason : new String[] {"wrong token", "é".repeat(600), "x" + "€".repeat(400)}) {
            byte[] error = FromTheDoc.error(402, reason);
            assertArrayEquals(error, bytes(HandshakeMessages.encode(alloc, new HandshakeMessages.ErrorFrame(402, reason))));
            HandshakeMessages.ErrorFrame decoded = HandshakeMessages.decodeError(Unpooled.wrappedBuffer(error));
            assertEquals(402, decoded.code());
            assertTrue(reason.startsWith(decoded.reason()));
        }
    }

    @Test
    void framesAreALengthPrefixAndTheBody() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(NetLimits.MAX_FRAME_BYTES), new FrameEncoder(NetLimits.MAX_FRAME_BYTES));
        byte[] body = FromTheDoc.data("sync frame".getBytes(StandardCharsets.UTF_8));
        ch.writeOutbound(Unpooled.wrappedBuffer(body));
        ByteBuf written = Unpooled.buffer();
        for (ByteBuf part; (part = ch.readOutbound()) != null; part.release()) {
            written.writeBytes(part);
        }
        assertArrayEquals(FromTheDoc.frame(body), bytes(written));

        ch.writeInbound(Unpooled.wrappedBuffer(FromTheDoc.frame(FromTheDoc.keepalive())));
        ByteBuf read = ch.readInbound();
        assertArrayEquals(FromTheDoc.keepalive(), bytes(read));
        ch.finishAndReleaseAll();
    }

    @Test
    void theProofsAreTheDocumentsHmacs() {
        byte[] cert = nonce(1);
        byte[] transcript = nonce(2);
        byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(FromTheDoc.clientProof(token, cert, transcript, "node-a"), AuthProof.client(token, cert, transcript, "node-a"));
        assertArrayEquals(FromTheDoc.serverProof(token, cert, transcript, "node-a", 1),
                AuthProof.server(token, cert, transcript, "node-a", Permission.READ_ONLY));
    }

    /**
     * A client written from the document: offers versions 7 and 1 and a reserved capability bit,
     * proves the token, checks the server's proof, then sends KEEPALIVE, DATA and ERROR frames.
     */
    @Test
    void aClientWrittenFromTheDocumentCompletesTheHandshakeWithABlazeServer() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataFolder);
        try (Loopback net = new Loopback().start(identity, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, 0);
                SSLSocket socket = FromTheDoc.tlsClient(net.port)) {
            byte[] serverCert = MessageDigest.getInstance("SHA-256").digest(socket.getSession().getPeerCertificates()[0].getEncoded());
            assertEquals(identity.fingerprint(), java.util.HexFormat.of().formatHex(serverCert));
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());

            byte[] clientHello = FromTheDoc.clientHello(new int[] {7, 1}, 0x80000003, NONCE);
            FromTheDoc.write(out, clientHello);
            byte[] serverHello = FromTheDoc.read(in);
            assertEquals(39, serverHello.length, "SERVER_HELLO = type, u16 version, u32 capabilities, 32-byte nonce");
            assertEquals(0x02, serverHello[0]);
            assertEquals(1, FromTheDoc.u16(serverHello, 1), "the highest version both speak");
            assertEquals(3, FromTheDoc.u32(serverHello, 3), "the bits both set; the reserved bit is dropped");

            byte[] transcript = FromTheDoc.sha256(clientHello, serverHello);
            byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
            FromTheDoc.write(out, FromTheDoc.clientAuth("doc-client", FromTheDoc.clientProof(token, serverCert, transcript, "doc-client")));
            byte[] serverAuth = FromTheDoc.read(in);
            assertEquals(34, serverAuth.length, "SERVER_AUTH = type, u8 permission, 32-byte proof");
            assertEquals(0x04, serverAuth[0]);
            assertEquals(0, serverAuth[1], "read-write");
            assertArrayEquals(FromTheDoc.serverProof(token, serverCert, transcript, "doc-client", 0), Arrays.copyOfRange(serverAuth, 2, 34));

            NettyLink link = net.accepted.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(link, "the server accepted the link");
            assertEquals("doc-client", link.peerId());
            FromTheDoc.write(out, FromTheDoc.keepalive());
            FromTheDoc.write(out, FromTheDoc.data("hello".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hello", StandardCharsets.UTF_8.decode(net.serverHandler.nextFrame()).toString());
            assertEquals(1, link.keepalivesReceivedForTest(), "the KEEPALIVE before it was taken and ignored");

            link.send(ByteBuffer.wrap("world".getBytes(StandardCharsets.UTF_8)));
            assertArrayEquals(FromTheDoc.data("world".getBytes(StandardCharsets.UTF_8)), FromTheDoc.read(in));

            FromTheDoc.write(out, FromTheDoc.error(409, "going away"));
            Throwable cause = net.serverHandler.closed.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            BlazeException reported = assertInstanceOf(BlazeException.class, cause);
            assertEquals(ErrorCode.UNAVAILABLE, reported.code());
            assertTrue(reported.getMessage().contains("going away"), reported.getMessage());
        }
    }

    /** KEEPALIVE is for links where both sides set capability bit 1: from a peer that did not, it is a PROTOCOL_ERROR. */
    @Test
    void aKeepaliveWithoutTheCapabilityIsAProtocolError() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataFolder);
        try (Loopback net = new Loopback().start(identity, PeerAccess.sharedToken(TOKEN), Loopback.LIMITS, 0);
                SSLSocket socket = FromTheDoc.tlsClient(net.port)) {
            byte[] serverCert = MessageDigest.getInstance("SHA-256").digest(socket.getSession().getPeerCertificates()[0].getEncoded());
            var out = new DataOutputStream(socket.getOutputStream());
            var in = new DataInputStream(socket.getInputStream());
            byte[] clientHello = FromTheDoc.clientHello(new int[] {1}, Protocol.CAP_LZ4_BATCHES, NONCE);
            FromTheDoc.write(out, clientHello);
            byte[] serverHello = FromTheDoc.read(in);
            assertEquals(Protocol.CAP_LZ4_BATCHES, FromTheDoc.u32(serverHello, 3));
            byte[] transcript = FromTheDoc.sha256(clientHello, serverHello);
            byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
            FromTheDoc.write(out, FromTheDoc.clientAuth("doc-client", FromTheDoc.clientProof(token, serverCert, transcript, "doc-client")));
            assertEquals(0x04, FromTheDoc.read(in)[0]);

            FromTheDoc.write(out, FromTheDoc.keepalive());
            byte[] error = FromTheDoc.read(in);
            assertEquals(0x11, error[0]);
            assertEquals(ErrorCode.PROTOCOL_ERROR.number(), FromTheDoc.u16(error, 1));
            assertEquals(-1, in.read(), "the server closed the connection after its ERROR frame");
        }
    }

    /**
     * A server written from the document: checks the BlazeDB client's CLIENT_HELLO and proof byte by
     * byte, and grants read-only access with its own proof, which the client must accept.
     */
    @Test
    void aServerWrittenFromTheDocumentAuthenticatesABlazeClient() throws Exception {
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataFolder);
        byte[] serverCert = MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded());
        byte[] token = TOKEN.getBytes(StandardCharsets.UTF_8);
        try (Loopback net = new Loopback(); SSLServerSocket listener = FromTheDoc.tlsServer(identity)) {
            URI address = URI.create("tcp://127.0.0.1:" + listener.getLocalPort());
            FingerprintPins pins = FingerprintPins.configured(Map.of("127.0.0.1:" + listener.getLocalPort(), identity.fingerprint()));
            Loopback.Recorder handler = new Loopback.Recorder();
            ClientInitializer init = new ClientInitializer(TlsContexts.client(), Loopback.LIMITS,
                    new ClientCredentials("blaze-client", TOKEN), pins, address, handler);
            new io.netty.bootstrap.Bootstrap().group(net.group).channel(io.netty.channel.socket.nio.NioSocketChannel.class)
                    .handler(init).connect("127.0.0.1", listener.getLocalPort());
            CompletableFuture<NettyLink> result = init.result();

            try (Socket socket = listener.accept()) {
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
                var in = new DataInputStream(socket.getInputStream());
                var out = new DataOutputStream(socket.getOutputStream());
                byte[] clientHello = FromTheDoc.read(in);
                assertEquals(1 + 4 + 1 + 2 + 4 + 32, clientHello.length);
                assertArrayEquals(new byte[] {0x01, 'B', 'L', 'Z', 'N', 1, 0, 1}, Arrays.copyOf(clientHello, 8),
                        "type, magic, one version: 1");
                assertEquals(Protocol.CAP_LZ4_BATCHES | Protocol.CAP_KEEPALIVE, FromTheDoc.u32(clientHello, 8));

                byte[] serverHello = FromTheDoc.serverHello(1, 3, NONCE);
                FromTheDoc.write(out, serverHello);
                byte[] transcript = FromTheDoc.sha256(clientHello, serverHello);
                byte[] expected = FromTheDoc.clientAuth("blaze-client", FromTheDoc.clientProof(token, serverCert, transcript, "blaze-client"));
                assertArrayEquals(expected, FromTheDoc.read(in));

                FromTheDoc.write(out, FromTheDoc.serverAuth(1, FromTheDoc.serverProof(token, serverCert, transcript, "blaze-client", 1)));
                NettyLink link = result.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(link.readOnly());
                assertEquals(3, link.capabilities());
                FromTheDoc.write(out, FromTheDoc.data(new byte[] {42}));
                assertEquals(42, handler.nextFrame().get());
            }
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] nonce(int seed) {
        byte[] n = new byte[32];
        new java.util.Random(seed).nextBytes(n);
        return n;
    }

    /**
     * The wire format as {@code docs/protocol.md} ("Framing", "Handshake") writes it down, and
     * nothing else: big-endian unsigned integers, UTF-8 strings, the labels and layout of the proofs.
     */
    static final class FromTheDoc {
        private FromTheDoc() {
        }

        /** frame = u32 length ‖ body. */
        static byte[] frame(byte[] body) {
            return concat(u32(body.length), body);
        }

        /** CLIENT_HELLO: 0x01 ‖ "BLZN" ‖ u8 n ‖ n × u16 version ‖ u32 capabilities ‖ 32 bytes nonce_c. */
        static byte[] clientHello(int[] versions, int capabilities, byte[] nonce) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0x01);
            b.writeBytes(new byte[] {0x42, 0x4C, 0x5A, 0x4E});
            b.write(versions.length);
            for (int v : versions) {
                b.writeBytes(u16(v));
            }
            b.writeBytes(u32(capabilities));
            b.writeBytes(nonce);
            return b.toByteArray();
        }

        /** SERVER_HELLO: 0x02 ‖ u16 version ‖ u32 capabilities ‖ 32 bytes nonce_s. */
        static byte[] serverHello(int version, int capabilities, byte[] nonce) {
            return concat(new byte[] {0x02}, u16(version), u32(capabilities), nonce);
        }

        /** CLIENT_AUTH: 0x03 ‖ u8 k ‖ k bytes peer id ‖ u8 m (0 or 32) ‖ m bytes proof_c. */
        static byte[] clientAuth(String peerId, byte[] proof) {
            byte[] id = peerId.getBytes(StandardCharsets.UTF_8);
            return concat(new byte[] {0x03, (byte) id.length}, id, new byte[] {(byte) proof.length}, proof);
        }

        /** SERVER_AUTH: 0x04 ‖ u8 permission ‖ 32 bytes proof_s. */
        static byte[] serverAuth(int permission, byte[] proof) {
            return concat(new byte[] {0x04, (byte) permission}, proof);
        }

        /** DATA: 0x10 ‖ one sync frame. */
        static byte[] data(byte[] syncFrame) {
            return concat(new byte[] {0x10}, syncFrame);
        }

        /** KEEPALIVE: the type byte alone. */
        static byte[] keepalive() {
            return new byte[] {0x12};
        }

        /** ERROR: 0x11 ‖ u16 code ‖ u16 n ‖ n bytes reason, n ≤ 1024, a longer reason cut on a character boundary. */
        static byte[] error(int code, String reason) {
            StringBuilder kept = new StringBuilder();
            int bytes = 0;
            for (int i = 0; i < reason.length(); i = reason.offsetByCodePoints(i, 1)) {
                String c = new String(Character.toChars(reason.codePointAt(i)));
                int n = c.getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > 1024) {
                    break;
                }
                kept.append(c);
                bytes += n;
            }
            byte[] text = kept.toString().getBytes(StandardCharsets.UTF_8);
            return concat(new byte[] {0x11}, u16(code), u16(text.length), text);
        }

        /** proof_c = HMAC-SHA256(token, "BlazeDB client auth v1" ‖ 0x00 ‖ server_cert ‖ transcript ‖ u8 k ‖ peer id). */
        static byte[] clientProof(byte[] token, byte[] serverCert, byte[] transcript, String peerId) {
            byte[] id = peerId.getBytes(StandardCharsets.UTF_8);
            return hmac(token, concat("BlazeDB client auth v1".getBytes(StandardCharsets.US_ASCII), new byte[] {0},
                    serverCert, transcript, new byte[] {(byte) id.length}, id));
        }

        /** proof_s = HMAC-SHA256(token, "BlazeDB server auth v1" ‖ 0x00 ‖ server_cert ‖ transcript ‖ u8 k ‖ peer id ‖ u8 permission). */
        static byte[] serverProof(byte[] token, byte[] serverCert, byte[] transcript, String peerId, int permission) {
            byte[] id = peerId.getBytes(StandardCharsets.UTF_8);
            return hmac(token, concat("BlazeDB server auth v1".getBytes(StandardCharsets.US_ASCII), new byte[] {0},
                    serverCert, transcript, new byte[] {(byte) id.length}, id, new byte[] {(byte) permission}));
        }

        static byte[] sha256(byte[]... parts) throws GeneralSecurityException {
            return MessageDigest.getInstance("SHA-256").digest(concat(parts));
        }

        static void write(DataOutputStream out, byte[] body) throws IOException {
            out.write(frame(body));
            out.flush();
        }

        static byte[] read(DataInputStream in) throws IOException {
            int length = in.readInt();
            assertTrue(length >= 1 && length <= 2048, "a small frame: " + Integer.toUnsignedString(length));
            byte[] body = new byte[length];
            in.readFully(body);
            return body;
        }

        static int u16(byte[] b, int at) {
            return ByteBuffer.wrap(b, at, 2).getShort() & 0xffff;
        }

        static int u32(byte[] b, int at) {
            return ByteBuffer.wrap(b, at, 4).getInt();
        }

        /** TLS 1.3 with the JDK's sockets, accepting any certificate (the caller checks its fingerprint). */
        static SSLSocket tlsClient(int port) throws Exception {
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
            socket.startHandshake();
            return socket;
        }

        /** A TLS 1.3 listener on 127.0.0.1 presenting the node's certificate, with the JDK's sockets. */
        static SSLServerSocket tlsServer(NodeIdentity identity) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry("node", identity.privateKey(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(kmf.getKeyManagers(), null, new SecureRandom());
            SSLServerSocket listener = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            listener.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
            return listener;
        }

        private static byte[] hmac(byte[] key, byte[] message) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(message);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] u16(int v) {
            return new byte[] {(byte) (v >>> 8), (byte) v};
        }

        private static byte[] u32(int v) {
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                b.writeBytes(p);
            }
            return b.toByteArray();
        }

        /** Trusts any server certificate: the document's client checks the fingerprint after TLS. */
        private static final class AnyCertificate implements X509TrustManager {
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
}
