package org.blazedb.api.sync;

import java.net.URI;
import java.nio.ByteBuffer;
import org.blazedb.api.ErrorCode;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One open, ordered, reliable connection to a peer, carrying whole sync-protocol frames in both
 * directions. Relays (and the server) implement it; the sync engine uses it. Frames arrive at the
 * {@link LinkHandler} the link was opened with, in the order they were sent.
 */
@ConsumerType
public interface Link {
    /**
     * The largest frame every link carries, in bytes: 16 MiB and 64 KiB. The store keeps each
     * operation within 16 MiB ({@code Limits.MAX_DOCUMENT_BYTES}, document, ids and version
     * context together), and an OPS frame holding one such operation alone adds a few dozen bytes
     * of headers: so any operation a store accepted can be sent. The sync engine never sends a
     * larger frame, and refuses one.
     *
     * @since 1.4
     */
    int MAX_FRAME_BYTES = (16 << 20) + (64 << 10);

    /** @return the peer's address as this side knows it (for inbound links, where it came from) */
    URI remoteAddress();

    /** @return the scheme of the relay carrying this link, such as {@code memory} or {@code tcp} */
    String relay();

    /**
     * Queues one frame for sending; never blocks. The caller limits how much it sends with the
     * protocol's credit window and {@link #isWritable()}.
     *
     * @param frame the frame's bytes, from position to limit; the link takes ownership
     */
    void send(ByteBuffer frame);

    /** @return whether the link's outbound buffer has room; the handler is told when this changes */
    boolean isWritable();

    /** @return whether the link is still open */
    boolean isOpen();

    /**
     * Whether operations may flow one way only on this link, because the server granted the
     * client read-only access when it authenticated: the side that accepted the link sends
     * operations but refuses any it receives ({@link ErrorCode#PERMISSION_DENIED}, nothing
     * written), and the side that opened it receives operations and sends none.
     *
     * @return {@code true} for a read-only peer's link; {@code false} (the default) otherwise
     * @since 1.1
     */
    default boolean readOnly() {
        return false;
    }

    /**
     * What the thread now delivering a frame of this link may be used for besides handing it over;
     * called by the handler on that thread, from {@link LinkHandler#onFrame}, and may differ from
     * one frame to the next.
     *
     * @return what the delivering thread may do; {@link DeliveryThread#HAND_OVER} (the default)
     *         when the relay declares nothing
     * @since 1.3
     */
    default DeliveryThread deliveryThread() {
        return DeliveryThread.HAND_OVER;
    }

    /**
     * Closes the link; the peer learns the code and reason where the transport allows. Idempotent.
     *
     * @param code   why, or {@code null} for a normal close
     * @param reason a human-readable reason
     */
    void close(ErrorCode code, String reason);
}
