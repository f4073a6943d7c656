package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.URI;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.LinkHandler;

/**
 * The client's side of the handshake: {@code (TLS up: check the pin) → AWAIT_SERVER_HELLO →
 * AWAIT_SERVER_AUTH → done}. It refuses a server whose certificate fingerprint does not match the
 * pin before sending anything, offers its versions and capabilities, answers the challenge with a
 * proof bound to this TLS connection, checks the server's proof in return, and completes the result
 * with a started {@link NettyLink}.
 */
public final class ClientHandshakeHandler extends HandshakeHandler {
    private enum State { AWAIT_TLS, AWAIT_SERVER_HELLO, AWAIT_SERVER_AUTH }

    private final ClientCredentials credentials;
    private final FingerprintPins pins;
    private final URI address;
    private final LinkHandler handler;
    private final CompletableFuture<NettyLink> result;
    private State state = State.AWAIT_TLS;
    private byte[] clientHelloBytes;
    private HandshakeMessages.ServerHello serverHello;
    private byte[] binding;
    private byte[] transcript;
    private String serverFingerprint;

    /**
     * @param limits      the connection's limits
     * @param credentials who this client is and its token
     * @param pins        the server fingerprints it trusts
     * @param address     the server address dialled ({@code scheme://host:port}); its host:port is the pin key
     * @param handler     receives the link's frames once it is up
     * @param result      completed with the link, or exceptionally with a {@link BlazeException}
     */
    public ClientHandshakeHandler(NetLimits limits, ClientCredentials credentials, FingerprintPins pins, URI address,
            LinkHandler handler, CompletableFuture<NettyLink> result) {
        super(limits);
        this.credentials = credentials;
        this.pins = pins;
        this.address = address;
        this.handler = handler;
        this.result = result;
    }

    @Override
    protected void onTlsUp(ChannelHandlerContext ctx) {
        serverFingerprint = NodeIdentity.fingerprint(serverCertificate(ctx));
        pins.check(address.getHost() + ":" + address.getPort(), serverFingerprint);
        var hello = HandshakeMessages.encode(ctx.alloc(),
                new HandshakeMessages.ClientHello(Protocol.SUPPORTED_VERSIONS, Protocol.CAPABILITIES, nonce()));
        clientHelloBytes = bytes(hello);
        state = State.AWAIT_SERVER_HELLO;
        ctx.writeAndFlush(hello);
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ByteBuf body) {
        switch (state) {
            case AWAIT_SERVER_HELLO -> onServerHello(ctx, body);
            case AWAIT_SERVER_AUTH -> onServerAuth(ctx, body);
            default -> throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "A frame arrived before TLS was established");
        }
    }

    private void onServerHello(ChannelHandlerContext ctx, ByteBuf body) {
        byte[] serverHelloBytes = bytes(body);
        serverHello = HandshakeMessages.decodeServerHello(body);
        if (Arrays.stream(Protocol.SUPPORTED_VERSIONS).noneMatch(v -> v == serverHello.version())) {
            throw new BlazeException(ErrorCode.UNSUPPORTED_VERSION, "The server chose protocol version "
                    + serverHello.version() + ", which this client did not offer");
        }
        if ((serverHello.capabilities() & ~Protocol.CAPABILITIES) != 0) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "The server chose capabilities this client did not offer");
        }
        binding = AuthProof.serverCert(serverFingerprint);
        transcript = AuthProof.transcript(clientHelloBytes, serverHelloBytes);
        byte[] token = credentials.tokenBytes();
        byte[] mac = token.length == 0 ? new byte[0] : AuthProof.client(token, binding, transcript, credentials.peerId());
        state = State.AWAIT_SERVER_AUTH;
        ctx.writeAndFlush(HandshakeMessages.encode(ctx.alloc(), new HandshakeMessages.ClientAuth(credentials.peerId(), mac)));
    }

    private void onServerAuth(ChannelHandlerContext ctx, ByteBuf body) {
        HandshakeMessages.ServerAuth auth = HandshakeMessages.decodeServerAuth(body);
        byte[] expected = AuthProof.server(credentials.tokenBytes(), binding, transcript, credentials.peerId(), auth.permission());
        if (!MessageDigest.isEqual(expected, auth.mac())) {
            throw new BlazeException(ErrorCode.AUTH_FAILED, "The server at " + address
                    + " could not prove it knows the shared token; it may be an impostor or configured with another token");
        }
        NettyLink link = new NettyLink(ctx.channel(), address, address.getScheme(), serverHello.version(), serverHello.capabilities(),
                credentials.peerId(), auth.permission(), serverFingerprint, limits);
        succeed(ctx, link);
        link.start(handler);
        result.complete(link);
        acceptLinkSizedFrames(ctx);
    }

    @Override
    protected void onFailed(ChannelHandlerContext ctx, BlazeException reason) {
        result.completeExceptionally(reason);
    }

    private static X509Certificate serverCertificate(ChannelHandlerContext ctx) {
        try {
            if (engine(ctx) == null) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "The connection has no TLS layer");
            }
            Certificate[] chain = engine(ctx).getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
                throw new BlazeException(ErrorCode.CERTIFICATE_MISMATCH, "The server presented no X.509 certificate");
            }
            return cert;
        } catch (SSLPeerUnverifiedException e) {
            throw new BlazeException(ErrorCode.CERTIFICATE_MISMATCH, "The server presented no certificate", e);
        }
    }
}
