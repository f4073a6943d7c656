package org.blazedb.sync.impl;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;

/**
 * A sync engine outside OSGi, for benchmarks and embedding: the same engine as the DS component,
 * with a fixed resolver and relays and default settings. Register it as the store's
 * {@link ChangeListener} so that local writes are pushed. Not exported: it is reached through the
 * bundle jar on a plain class path.
 */
public final class EmbeddedSyncEngine implements SyncService, ChangeListener, AutoCloseable {
    private final SyncEngine engine;
    private final String storeName;
    private final ConflictResolver resolver;
    private final List<Relay> relays;

    /**
     * @param replica  the store's replica
     * @param resolver decides conflicts
     * @param relays   the transports, preferred first
     */
    public EmbeddedSyncEngine(Replica replica, ConflictResolver resolver, List<Relay> relays) {
        this.storeName = replica.store().name();
        this.resolver = resolver;
        this.relays = List.copyOf(relays);
        this.engine = new SyncEngine(replica, EngineSettings.DEFAULTS, new BlazeBinaryOperationsCodec(),
                new ThreadEngineExecutor("blaze-sync-" + storeName), () -> resolver, () -> this.relays, e -> { });
    }

    @Override
    public void onChanges(List<Change> changes) {
        engine.onChanges(changes);
    }

    @Override
    public NodeId nodeId() {
        return engine.nodeId();
    }

    @Override
    public SyncStatusDTO status() {
        SyncStatusDTO dto = new SyncStatusDTO();
        dto.nodeId = engine.nodeId().toString();
        dto.storeName = storeName;
        dto.relays = relays.stream().map(Relay::scheme).toList();
        dto.resolver = resolver.name();
        dto.conflictsResolved = engine.conflictsResolved();
        dto.peers = engine.peers();
        return dto;
    }

    @Override
    public List<PeerStatusDTO> peers() {
        return engine.peers();
    }

    @Override
    public CompletionStage<PeerStatusDTO> connect(URI address) {
        return engine.connect(address);
    }

    @Override
    public boolean disconnect(URI address) {
        return engine.disconnect(address);
    }

    @Override
    public CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
        return engine.syncNow(peer);
    }

    @Override
    public LinkHandler accept(Link link) {
        return engine.accept(link);
    }

    @Override
    public void close() {
        engine.close();
    }
}
