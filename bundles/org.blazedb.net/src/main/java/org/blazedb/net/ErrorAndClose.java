package org.blazedb.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.ErrorCode;

/**
 * Ends a connection with an ERROR frame: the frame is queued and flushed, and the connection is
 * closed as soon as the frame has been written, or after {@link #GRACE} at the latest.
 *
 * <p>Waiting for the write alone is not enough: for a peer that has stopped reading the write
 * never completes (the frame waits behind everything already queued), so the connection, its slot
 * on the server and its queued bytes would be held for good and the link's handler would never
 * hear {@code onClosed}. After the grace the ERROR frame is given up; closing then still lets TLS
 * try its close_notify, which Netty's {@code SslHandler} bounds by its own flush timeout (3 s).
 */
final class ErrorAndClose {
    /** How long an ERROR frame may take to be written before the connection is closed without it. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private ErrorAndClose() {
    }

    /**
     * @param channel an active connection with the frame encoder in its pipeline
     * @param code    the error the frame reports
     * @param reason  one line for the peer's log (cut to the protocol's limit)
     */
    static void send(Channel channel, ErrorCode code, String reason) {
        ScheduledFuture<?> giveUp = channel.eventLoop().schedule(() -> {
            channel.close();
        }, GRACE.toMillis(), TimeUnit.MILLISECONDS);
        channel.writeAndFlush(HandshakeMessages.encode(channel.alloc(), new HandshakeMessages.ErrorFrame(code.number(), reason)))
                .addListener(written -> {
                    giveUp.cancel(false);
                    channel.close();
                });
    }
}
