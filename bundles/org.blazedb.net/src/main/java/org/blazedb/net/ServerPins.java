package org.blazedb.net;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The servers a client transport trusts, as the shell shows them. {@code TcpRelay} registers
 * itself as this service.
 */
@ProviderType
public interface ServerPins {
    /** @return the peer id this node authenticates as */
    String peerId();

    /** @return server address ({@code host:port}) → pinned fingerprint, configured and learned, sorted */
    Map<String, String> pins();

    /** @param address a server address @return whether its pin is configured (rather than learned on first use) */
    boolean isConfigured(String address);
}
