package org.blazedb.net;

import java.time.Duration;
import java.util.Objects;
import org.blazedb.api.sync.Link;

/**
 * The limits every BlazeDB connection enforces, as one immutable value. The named constants are the
 * defaults; a server or relay may pass other values (for example from Config Admin), which the
 * constructor checks. Until the handshake has succeeded a connection accepts frames of at most
 * {@link #MAX_HANDSHAKE_FRAME_BYTES}, whatever {@code maxFrameBytes} is.
 *
 * @param maxFrameBytes     largest frame payload accepted once the handshake has succeeded (a sync
 *                          frame; the frame body is one type byte more), checked on the length
 *                          prefix before any buffer for the body is allocated
 * @param handshakeTimeout  time from TCP accept (or connect) to an authenticated link; TLS included
 * @param idleTimeout       a link that receives not a single byte for this long is closed with
 *                          {@link org.blazedb.api.ErrorCode#TIMEOUT}; with
 *                          {@link Protocol#CAP_KEEPALIVE} each end's event loop sends a KEEPALIVE
 *                          after a third of it without writing, so a live peer is never idle
 * @param maxConnections    connections a server holds at once; more are closed with
 *                          {@link org.blazedb.api.ErrorCode#UNAVAILABLE}
 * @param maxPendingBytes   outbound bytes queued on one connection before it stops being writable
 *                          (Netty's high water mark); the low water mark is half of it
 * @param authFailureDelay  how long a server waits before answering a failed authentication, to slow
 *                          down guessing
 */
public record NetLimits(
        int maxFrameBytes,
        Duration handshakeTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxPendingBytes,
        Duration authFailureDelay) {

    /**
     * Default largest frame payload: {@link Link#MAX_FRAME_BYTES} (16 MiB and 64 KiB), the largest
     * frame the sync engine sends, which carries any operation a store accepted.
     */
    public static final int MAX_FRAME_BYTES = Link.MAX_FRAME_BYTES;
    /** The smallest maximum frame size a node may configure: every handshake message must fit. */
    public static final int MIN_FRAME_BYTES = 4096;
    /**
     * Largest frame payload accepted before the handshake has succeeded: 2 KiB. The largest
     * handshake-phase frame is an ERROR with a reason of {@link HandshakeMessages#MAX_REASON_BYTES}
     * (1,028 payload bytes; a CLIENT_AUTH has at most 162), so an unauthenticated peer can make a
     * server buffer this much per connection, not {@link #MAX_FRAME_BYTES}.
     */
    public static final int MAX_HANDSHAKE_FRAME_BYTES = 2048;
    /** Default handshake timeout: 10 seconds. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default idle timeout: 60 seconds. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default maximum simultaneous connections of a server. */
    public static final int MAX_CONNECTIONS = 1024;
    /** Default per-connection bound on queued outbound bytes: 4 MiB. */
    public static final int MAX_PENDING_BYTES = 4 * 1024 * 1024;
    /** Default delay before a server answers a failed authentication: 1 second. */
    public static final Duration AUTH_FAILURE_DELAY = Duration.ofSeconds(1);

    /** The defaults above. */
    public static final NetLimits DEFAULTS = new NetLimits(MAX_FRAME_BYTES, HANDSHAKE_TIMEOUT,
            IDLE_TIMEOUT, MAX_CONNECTIONS, MAX_PENDING_BYTES, AUTH_FAILURE_DELAY);

    /** Checks every value; a limit that would make the protocol unusable is refused. */
    public NetLimits {
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least " + MIN_FRAME_BYTES + ", was " + maxFrameBytes);
        }
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        if (maxPendingBytes < 2) {
            throw new IllegalArgumentException("maxPendingBytes must be at least 2, was " + maxPendingBytes);
        }
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        if (authFailureDelay.isNegative()) {
            throw new IllegalArgumentException("authFailureDelay must not be negative");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** @param bytes the new maximum frame size @return a copy with it */
    public NetLimits withMaxFrameBytes(int bytes) {
        return new NetLimits(bytes, handshakeTimeout, idleTimeout, maxConnections, maxPendingBytes, authFailureDelay);
    }

    /** @param timeout the new handshake timeout @return a copy with it */
    public NetLimits withHandshakeTimeout(Duration timeout) {
        return new NetLimits(maxFrameBytes, timeout, idleTimeout, maxConnections, maxPendingBytes, authFailureDelay);
    }

    /** @param timeout the new idle timeout @return a copy with it */
    public NetLimits withIdleTimeout(Duration timeout) {
        return new NetLimits(maxFrameBytes, handshakeTimeout, timeout, maxConnections, maxPendingBytes, authFailureDelay);
    }

    /** @param delay the new delay after a failed authentication @return a copy with it */
    public NetLimits withAuthFailureDelay(Duration delay) {
        return new NetLimits(maxFrameBytes, handshakeTimeout, idleTimeout, maxConnections, maxPendingBytes, delay);
    }
}
