package org.blazedb.net;

import java.net.SocketAddress;
import org.blazedb.api.BlazeException;
import org.blazedb.api.sync.LinkHandler;
import org.osgi.annotation.versioning.ConsumerType;

/** Where a server's pipeline hands connections: authenticated links, and refusals to log. */
@ConsumerType
public interface LinkAcceptor {
    /**
     * Called on the link's event loop right after the handshake, before any frame is delivered.
     *
     * @param link the authenticated link
     * @return the handler its frames and events go to (typically {@code SyncService.accept(link)})
     */
    LinkHandler accept(NettyLink link);

    /**
     * A connection was refused or failed before it was authenticated; it is already closed.
     *
     * @param remote where it came from
     * @param reason why, with its code
     */
    void refused(SocketAddress remote, BlazeException reason);
}
