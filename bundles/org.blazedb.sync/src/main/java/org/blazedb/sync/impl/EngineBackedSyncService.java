package org.blazedb.sync.impl;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;

/**
 * A {@link SyncService} (and store {@link ChangeListener}) served by one {@link SyncEngine}: every
 * call goes to the engine; a subclass says only which engine, and the store, relays and resolver
 * it reports in {@link #status()}.
 */
abstract class EngineBackedSyncService implements SyncService, ChangeListener {
    /** @return the engine behind this service */
    abstract SyncEngine engine();

    /** @return the name of the store the engine syncs, for the status */
    abstract String storeName();

    /** @return the relays bound now, for the status */
    abstract List<Relay> relays();

    /** @return the name of the resolver in use now, or null when none runs */
    abstract String resolverName();

    @Override
    public SyncStatusDTO status() {
        SyncEngine engine = engine();
        SyncStatusDTO dto = new SyncStatusDTO();
        dto.nodeId = engine.nodeId().toString();
        dto.storeName = storeName();
        dto.relays = relays().stream().map(Relay::scheme).toList();
        dto.resolver = resolverName();
        dto.conflictsResolved = engine.conflictsResolved();
        dto.peers = engine.peers();
        return dto;
    }

    @Override
    public void onChanges(List<Change> changes) {
        engine().onChanges(changes);
    }

    @Override
    public NodeId nodeId() {
        return engine().nodeId();
    }

    @Override
    public List<PeerStatusDTO> peers() {
        return engine().peers();
    }

    @Override
    public CompletionStage<PeerStatusDTO> connect(URI address) {
        return engine().connect(address);
    }

    @Override
    public boolean disconnect(URI address) {
        return engine().disconnect(address);
    }

    @Override
    public CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
        return engine().syncNow(peer);
    }

    @Override
    public LinkHandler accept(Link link) {
        return engine().accept(link);
    }
}
