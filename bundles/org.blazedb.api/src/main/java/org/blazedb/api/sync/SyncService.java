package org.blazedb.api.sync;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The sync engine of one store: it keeps the store in sync with its peers by exchanging the
 * operations each lacks, over whatever relays are bound. Registered with the service property
 * {@link org.blazedb.api.Store#NAME} of its store.
 */
@ProviderType
public interface SyncService {
    /** @return the node id of the store this engine syncs */
    NodeId nodeId();

    /** @return the engine's status: node, relays, active resolver, every known peer */
    SyncStatusDTO status();

    /** @return the status of every known peer */
    List<PeerStatusDTO> peers();

    /**
     * Connects to a peer and keeps syncing with it (reconnecting after failures) until
     * {@link #disconnect(URI)}. The address's scheme selects the relay.
     *
     * @param address the peer's address, such as {@code tcp://127.0.0.1:7420}
     * @return the peer's status once the first sync round has completed
     */
    CompletionStage<PeerStatusDTO> connect(URI address);

    /** @param address an address given to {@link #connect(URI)} @return whether it was connected */
    boolean disconnect(URI address);

    /**
     * Runs one sync round with a connected peer now: exchange state, send and receive what is
     * missing.
     *
     * @param peer the peer
     * @return the peer's status after the round
     */
    CompletionStage<PeerStatusDTO> syncNow(NodeId peer);

    /**
     * Takes over an inbound link that a relay or the server accepted, and serves a sync session on
     * it.
     *
     * @param link an open inbound link
     * @return the handler the transport must deliver the link's frames and events to
     */
    LinkHandler accept(Link link);
}
