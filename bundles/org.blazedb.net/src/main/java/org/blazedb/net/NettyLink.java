package org.blazedb.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.sync.DeliveryThread;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;

/**
 * A {@link Link} over an authenticated Netty channel. Each sync frame travels as one DATA frame;
 * {@link #close(ErrorCode, String)} sends an ERROR frame before closing. Outbound bytes are bounded
 * by {@link NetLimits#maxPendingBytes()}: above it the link reports not writable (and the handler
 * hears of each change), and a sender that ignores that and queues more than twice the bound is
 * cut off with {@link ErrorCode#LIMIT_EXCEEDED}: the connection is closed at once, without an ERROR
 * frame the peer would not read. A link receiving no byte at all for
 * {@link NetLimits#idleTimeout()} closes with {@link ErrorCode#TIMEOUT}; with
 * {@link Protocol#CAP_KEEPALIVE} both ends send a KEEPALIVE frame after a third of that without
 * writing, from the event loop, so liveness never waits for a sync engine. The handler is called on
 * the channel's event loop only, so calls for one link are never concurrent and stay in order.
 * That loop may run the handler's work that never waits ({@link #deliveryThread()}), nothing more:
 * it serves other connections too (a server's loops serve every peer).
 */
public final class NettyLink implements Link {
    private static final System.Logger LOG = System.getLogger(NettyLink.class.getName());
    private static final ByteBuf DATA_TYPE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(1, 1).writeByte(FrameType.DATA).asReadOnly());
    private static final ByteBuf KEEPALIVE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(1, 1).writeByte(FrameType.KEEPALIVE).asReadOnly());

    private final Channel channel;
    private final URI remote;
    private final String relay;
    private final int version;
    private final int capabilities;
    private final String peerId;
    private final Permission permission;
    private final String peerFingerprint;
    private final NetLimits limits;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile BlazeException closeCause;
    private volatile LinkHandler handler;
    /** Written on the event loop only; read by tests. */
    private volatile long keepalivesReceived;

    NettyLink(Channel channel, URI remote, String relay, int version, int capabilities, String peerId,
            Permission permission, String peerFingerprint, NetLimits limits) {
        this.channel = channel;
        this.relay = relay;
        this.remote = remote != null ? remote : uri(relay, channel.remoteAddress());
        this.version = version;
        this.capabilities = capabilities;
        this.peerId = peerId;
        this.permission = permission;
        this.peerFingerprint = peerFingerprint;
        this.limits = limits;
    }

    // Called on the event loop right after the handshake, before the next frame is read.
    void start(LinkHandler linkHandler) {
        this.handler = Objects.requireNonNull(linkHandler, "handler");
        channel.closeFuture().addListener(f -> linkHandler.onClosed(this, closeCause));
    }

    ChannelInboundHandlerAdapter channelHandler() {
        return new Inbound();
    }

    @Override
    public URI remoteAddress() {
        return remote;
    }

    @Override
    public String relay() {
        return relay;
    }

    /** @return the protocol version the handshake chose */
    public int version() {
        return version;
    }

    /** @return the capability bits both sides have ({@link Protocol}) */
    public int capabilities() {
        return capabilities;
    }

    /** @return the peer id the client authenticated as */
    public String peerId() {
        return peerId;
    }

    /** @return what the client may do; the sync engine enforces {@link Permission#READ_ONLY} */
    public Permission permission() {
        return permission;
    }

    /** @return whether the server granted {@link Permission#READ_ONLY} (on both ends of the link) */
    @Override
    public boolean readOnly() {
        return permission == Permission.READ_ONLY;
    }

    /** @return on a client, the server's certificate fingerprint; on a server, {@code null} */
    public String peerFingerprint() {
        return peerFingerprint;
    }

    /** @return the TLS session (protocol, cipher suite, certificates) of the link */
    public SSLSession tlsSession() {
        return channel.pipeline().get(SslHandler.class).engine().getSession();
    }

    // For tests: KEEPALIVE frames received so far.
    long keepalivesReceivedForTest() {
        return keepalivesReceived;
    }

    // For tests: the channel under the link.
    Channel channelForTest() {
        return channel;
    }

    @Override
    public void send(ByteBuffer frame) {
        int size = frame.remaining();
        if (size > limits.maxFrameBytes()) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "A sync frame of " + size
                    + " bytes does not fit the maximum frame size of " + limits.maxFrameBytes() + " bytes");
        }
        if (closing.get() || !channel.isActive()) {
            return; // the handler hears onClosed; frames sent after that are dropped
        }
        // bytesBeforeWritable() is what must drain to fall below the low water mark (half the bound).
        if (!channel.isWritable() && channel.bytesBeforeWritable() + limits.maxPendingBytes() / 2 > 2L * limits.maxPendingBytes()) {
            // No ERROR frame: it would wait behind the very bytes the peer is not reading.
            if (startClosing(ErrorCode.LIMIT_EXCEEDED, "More than " + 2L * limits.maxPendingBytes()
                    + " bytes queued for a peer that is not reading; closing the link")) {
                channel.close();
            }
            return;
        }
        // A composite of the type byte and the frame, no copy here. Copying both into one buffer
        // (pooled: branch tcp-jit; heap: branch tcp-alloc) allocated a little less per write, but
        // the event loops switched more often and, in the quiet re-run of 2026-11-26, the live
        // p99 was higher in 4 of 6 interleaved pairs (docs/performance.md).
        channel.writeAndFlush(Unpooled.wrappedBuffer(DATA_TYPE.duplicate(), Unpooled.wrappedBuffer(frame)), channel.voidPromise());
    }

    /**
     * {@link DeliveryThread#NON_BLOCKING}: the event loop delivering the frame serves other
     * connections (a server's loops serve many peers; a client's may serve several links), which a
     * loop waiting for a disk would stall. Letting a client's loop that serves one link alone run
     * a small batch's commit as well was measured and dropped: fewer context switches on the
     * receiving side, but no better write-to-visible latency ({@code docs/performance.md}, branch
     * {@code tcp-standin}).
     */
    @Override
    public DeliveryThread deliveryThread() {
        return DeliveryThread.NON_BLOCKING;
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive() && !closing.get();
    }

    /**
     * Closes the link; with a code, after an ERROR frame, which is given {@link ErrorAndClose#GRACE}
     * to be written (a peer that is not reading does not get it, but the connection closes all the
     * same).
     */
    @Override
    public void close(ErrorCode code, String reason) {
        if (!startClosing(code, reason)) {
            return;
        }
        if (code != null && channel.isActive()) {
            ErrorAndClose.send(channel, code, reason);
        } else {
            channel.close();
        }
    }

    // Marks the link closing, once; the cause is what the handler's onClosed then hears.
    private boolean startClosing(ErrorCode code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        if (code != null) {
            closeCause = new BlazeException(code, reason);
            LOG.log(Level.INFO, "Closing link to {0} ({1}): {2}", remote, peerId, closeCause);
        }
        return true;
    }

    private boolean keepsAlive() {
        return (capabilities & Protocol.CAP_KEEPALIVE) != 0;
    }

    private void closedByPeer(BlazeException cause) {
        if (closing.compareAndSet(false, true)) {
            closeCause = cause;
            LOG.log(Level.INFO, "Link to {0} ({1}) closed by the peer: {2}", remote, peerId, cause);
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "NettyLink[" + remote + ", peer " + peerId + ", " + permission + "]";
    }

    private static URI uri(String scheme, SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort());
        }
        return URI.create(scheme + ":" + address);
    }

    /** The pipeline's last handler once the link is up: frames, writability, idleness, errors. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf body = (ByteBuf) msg;
            try {
                if (closing.get()) {
                    return;
                }
                byte type = body.readByte();
                if (type == FrameType.DATA) {
                    ByteBuffer frame = ByteBuffer.allocate(body.readableBytes());
                    body.readBytes(frame);
                    handler.onFrame(NettyLink.this, frame.flip());
                } else if (type == FrameType.KEEPALIVE && keepsAlive() && !body.isReadable()) {
                    keepalivesReceived++; // its bytes have reset the idle timer; nothing else to do
                    return;
                } else if (type == FrameType.ERROR) {
                    body.readerIndex(body.readerIndex() - 1);
                    HandshakeMessages.ErrorFrame error = HandshakeMessages.decodeError(body);
                    closedByPeer(NetErrors.fromWire(error.code(), error.reason()));
                } else {
                    close(ErrorCode.PROTOCOL_ERROR, "Unexpected " + FrameType.name(type) + " frame after the handshake");
                }
            } catch (BlazeException e) {
                // Also how a handler refuses a frame, e.g. PERMISSION_DENIED for a read-only peer.
                close(e.code(), e.getMessage());
            } finally {
                ReferenceCountUtil.release(body);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            handler.onWritabilityChanged(NettyLink.this);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    if (keepsAlive() && !closing.get()) {
                        ctx.writeAndFlush(KEEPALIVE.duplicate(), ctx.voidPromise());
                    }
                } else if (idle.state() == IdleState.READER_IDLE) {
                    close(ErrorCode.TIMEOUT, "Nothing received for " + limits.idleTimeout().toMillis() + " ms");
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            BlazeException e = NetErrors.classify(cause);
            if (e.code() == ErrorCode.PEER_UNREACHABLE) {
                closedByPeer(e);
            } else {
                close(e.code(), e.getMessage());
            }
        }
    }
}
