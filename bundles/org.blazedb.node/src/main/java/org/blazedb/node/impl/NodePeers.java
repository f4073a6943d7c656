package org.blazedb.node.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.sync.SyncService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Connects the default store's sync engine to the peers named by the launcher
 * ({@code ./blaze run --peer tcp://host:port}, framework property {@value #PEERS}) as soon as the
 * engine runs. The engine keeps each connection (reconnecting with its back-off) until
 * {@code blaze:disconnect}; the list is not stored, so a peer is connected at every start it is
 * given at.
 */
@Component(immediate = true)
public final class NodePeers {
    /** Framework property: comma-separated peer addresses, such as {@code tcp://127.0.0.1:7421}. */
    public static final String PEERS = "blaze.peers";

    private static final System.Logger LOG = System.getLogger(NodePeers.class.getName());

    /**
     * @param context the bundle context, for the framework property
     * @param engine  the sync engine of the store named {@code default}
     */
    @Activate
    public NodePeers(BundleContext context, @Reference(target = "(blaze.store.name=default)") SyncService engine) {
        for (URI peer : parse(context.getProperty(PEERS))) {
            LOG.log(System.Logger.Level.INFO, "Connecting to peer {0}", peer);
            // Not waited for: the engine retries until the peer is up; progress shows in blaze:peers.
            engine.connect(peer).whenComplete((status, failure) -> {
                if (failure != null) {
                    LOG.log(System.Logger.Level.WARNING, "First sync round with {0} failed: {1}", peer, failure.getMessage());
                }
            });
        }
    }

    static List<URI> parse(String value) {
        List<URI> peers = new ArrayList<>();
        if (value == null) {
            return peers;
        }
        for (String address : value.split(",")) {
            String a = address.strip();
            if (a.isEmpty()) {
                continue;
            }
            URI uri = URI.create(a);
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("Peer address '" + a + "' has no scheme; use tcp://host:port");
            }
            peers.add(uri);
        }
        return peers;
    }
}
