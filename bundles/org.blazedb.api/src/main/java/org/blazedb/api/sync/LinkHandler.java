package org.blazedb.api.sync;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives what happens on a {@link Link}; the sync engine implements it. Calls for one link are
 * never concurrent and arrive in order.
 */
@ProviderType
public interface LinkHandler {
    /** @param link the link @param frame one whole frame, from position to limit */
    void onFrame(Link link, ByteBuffer frame);

    /** @param link the link whose {@link Link#isWritable()} changed */
    void onWritabilityChanged(Link link);

    /**
     * The link has closed; no more frames will arrive.
     *
     * @param link  the link
     * @param cause why, or {@code null} for a normal close
     */
    void onClosed(Link link, Throwable cause);
}
