package org.blazedb.api.sync;

import java.net.URI;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport that opens {@link Link}s to peers: in-process, TCP with TLS, Unix domain sockets or
 * WebSocket. Register implementations as OSGi services with {@link #SCHEME}; the sync engine binds
 * them dynamically, so relays can be added, removed and swapped at runtime. Inbound links a relay
 * accepts are handed to {@link SyncService#accept(Link)}.
 */
@ConsumerType
public interface Relay {
    /** Service property ({@code String}): the URI scheme this relay serves, such as {@code tcp}. */
    String SCHEME = "blaze.relay.scheme";

    /** @return the URI scheme this relay serves */
    String scheme();

    /**
     * Opens a link to a peer. Completes once the transport (and its authentication) is established,
     * or exceptionally with a {@link org.blazedb.api.BlazeException} saying why not.
     *
     * @param address the peer's address, with this relay's scheme
     * @param handler receives the link's frames and events
     * @return the open link
     */
    CompletionStage<Link> connect(URI address, LinkHandler handler);

    /** @return a one-line description of the relay for the shell: what it is and what it listens on */
    String describe();
}
