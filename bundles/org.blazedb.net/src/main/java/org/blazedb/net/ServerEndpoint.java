package org.blazedb.net;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running BlazeDB listener as the shell shows it: where it listens and the identity peers pin.
 * {@code BlazeServer} registers itself as this service.
 */
@ProviderType
public interface ServerEndpoint {
    /** @return the address and port it listens on (the real port when 0 was configured) */
    InetSocketAddress address();

    /** @return the SHA-256 fingerprint of the node's certificate: what clients pin */
    String fingerprint();

    /** @return whether a token is configured; without one every peer is refused */
    boolean acceptsPeers();

    /** @return connections open now, authenticated or not */
    int openConnections();
}
