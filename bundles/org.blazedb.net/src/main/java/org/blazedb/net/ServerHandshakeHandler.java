package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.LinkHandler;

/**
 * The server's side of the handshake: {@code AWAIT_HELLO → AWAIT_AUTH → done}. It negotiates the
 * version and capabilities, challenges the client with a fresh nonce, checks its proof against the
 * token of the peer id it names (failures are answered only after {@link NetLimits#authFailureDelay()},
 * and an address that failed has its next checks spaced that far apart: {@link AuthThrottle}),
 * proves in return that it knows the token, and hands the authenticated link to the
 * {@link LinkAcceptor}.
 */
public final class ServerHandshakeHandler extends HandshakeHandler {
    private enum State { AWAIT_HELLO, AWAIT_AUTH }

    private final PeerAccess access;
    private final AuthThrottle throttle;
    private final LinkAcceptor acceptor;
    private final String relay;
    private State state = State.AWAIT_HELLO;
    private byte[] clientHelloBytes;
    private byte[] serverHelloBytes;
    private int version;
    private int capabilities;

    /**
     * @param limits   the connection's limits
     * @param access   who may connect
     * @param acceptor where authenticated links and refusals go
     * @param relay    the scheme links report, such as {@code tcp}
     */
    public ServerHandshakeHandler(NetLimits limits, PeerAccess access, LinkAcceptor acceptor, String relay) {
        this(limits, access, acceptor, relay, new AuthThrottle(limits.authFailureDelay().toMillis()));
    }

    /** As the public constructor, with the throttle the server's connections share. */
    ServerHandshakeHandler(NetLimits limits, PeerAccess access, LinkAcceptor acceptor, String relay, AuthThrottle throttle) {
        super(limits);
        this.access = access;
        this.throttle = throttle;
        this.acceptor = acceptor;
        this.relay = relay;
    }

    @Override
    protected void onTlsUp(ChannelHandlerContext ctx) {
        // The client speaks first.
    }

    @Override
    protected void onFrame(ChannelHandlerContext ctx, ByteBuf body) {
        switch (state) {
            case AWAIT_HELLO -> onHello(ctx, body);
            case AWAIT_AUTH -> onAuth(ctx, body);
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void onHello(ChannelHandlerContext ctx, ByteBuf body) {
        clientHelloBytes = bytes(body);
        HandshakeMessages.ClientHello hello = HandshakeMessages.decodeClientHello(body);
        version = Protocol.choose(hello.versions());
        if (version < 0) {
            throw new BlazeException(ErrorCode.UNSUPPORTED_VERSION, "The client speaks protocol versions "
                    + Arrays.toString(hello.versions()) + " but this server speaks " + Arrays.toString(Protocol.SUPPORTED_VERSIONS)
                    + "; upgrade the older node");
        }
        capabilities = hello.capabilities() & Protocol.CAPABILITIES;
        var reply = HandshakeMessages.encode(ctx.alloc(), new HandshakeMessages.ServerHello(version, capabilities, nonce()));
        serverHelloBytes = bytes(reply);
        state = State.AWAIT_AUTH;
        ctx.writeAndFlush(reply);
    }

    private void onAuth(ChannelHandlerContext ctx, ByteBuf body) {
        HandshakeMessages.ClientAuth auth = HandshakeMessages.decodeClientAuth(body);
        InetAddress address = remoteAddress(ctx);
        long wait = throttle.book(address, nanosToDeadline());
        if (wait < 0) {
            throw new BlazeException(ErrorCode.UNAVAILABLE, "Too many failed authentications from " + address.getHostAddress()
                    + ": its token checks are spaced " + limits.authFailureDelay().toMillis() + " ms apart; try again in "
                    + (TimeUnit.NANOSECONDS.toSeconds(throttle.waitNanos(address)) + 1) + " s");
        }
        if (wait > 0) {
            pauseThen(ctx, wait, () -> check(ctx, auth, address, true));
        } else {
            check(ctx, auth, address, false);
        }
    }

    /** Checks the client's proof; {@code booked}: on a turn booked with the throttle. */
    private void check(ChannelHandlerContext ctx, HandshakeMessages.ClientAuth auth, InetAddress address, boolean booked) {
        byte[] binding = AuthProof.serverCert(ownFingerprint(ctx));
        byte[] transcript = AuthProof.transcript(clientHelloBytes, serverHelloBytes);
        Optional<PeerAccess.Grant> grant = access.lookup(auth.peerId());
        long delay = limits.authFailureDelay().toMillis();
        if (auth.mac().length == 0) {
            throttle.failed(address, booked);
            failAfter(ctx, new BlazeException(ErrorCode.AUTH_FAILED, "Peer '" + auth.peerId()
                    + "' presented no token; configure the shared token on the client"), delay);
            return;
        }
        // An unknown peer id is checked against a random key, so it costs the same as a wrong token
        // and the answer does not reveal which ids exist.
        byte[] key = grant.map(PeerAccess.Grant::token).orElseGet(HandshakeHandler::nonce);
        byte[] expected = AuthProof.client(key, binding, transcript, auth.peerId());
        if (grant.isEmpty() || !MessageDigest.isEqual(expected, auth.mac())) {
            throttle.failed(address, booked);
            failAfter(ctx, new BlazeException(ErrorCode.AUTH_FAILED, "Peer '" + auth.peerId()
                    + "' failed to authenticate: unknown peer id or wrong token; check the token configured on both nodes"), delay);
            return;
        }
        Permission permission = grant.get().permission();
        byte[] proof = AuthProof.server(grant.get().token(), binding, transcript, auth.peerId(), permission);
        ctx.writeAndFlush(HandshakeMessages.encode(ctx.alloc(), new HandshakeMessages.ServerAuth(permission, proof)));
        NettyLink link = new NettyLink(ctx.channel(), null, relay, version, capabilities, auth.peerId(), permission,
                null, limits);
        succeed(ctx, link);
        LinkHandler handler;
        try {
            handler = acceptor.accept(link);
        } catch (RuntimeException e) {
            // The node could not take the link (shutting down, a bug): this peer only is told.
            link.close(ErrorCode.UNAVAILABLE, "This node cannot take the link now (" + e.getMessage() + "); try again later");
            return;
        }
        link.start(handler);
        acceptLinkSizedFrames(ctx);
    }

    private static InetAddress remoteAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private static String ownFingerprint(ChannelHandlerContext ctx) {
        SSLEngine engine = engine(ctx);
        Certificate[] own = engine == null ? null : engine.getSession().getLocalCertificates();
        if (own == null || own.length == 0 || !(own[0] instanceof X509Certificate cert)) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "The connection has no TLS server certificate");
        }
        return NodeIdentity.fingerprint(cert);
    }

    @Override
    protected void onFailed(ChannelHandlerContext ctx, BlazeException reason) {
        acceptor.refused(ctx.channel().remoteAddress(), reason);
    }
}
