package org.blazedb.sync.impl;

import java.util.List;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Replica;

/**
 * A sync engine outside OSGi, for benchmarks and embedding: the same engine as the DS component,
 * with a fixed resolver and relays and default settings. Register it as the store's
 * {@link ChangeListener} so that local writes are pushed. Not exported: it is reached through the
 * bundle jar on a plain class path.
 */
public final class EmbeddedSyncEngine extends EngineBackedSyncService implements AutoCloseable {
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
    SyncEngine engine() {
        return engine;
    }

    @Override
    String storeName() {
        return storeName;
    }

    @Override
    List<Relay> relays() {
        return relays;
    }

    @Override
    String resolverName() {
        return resolver.name();
    }

    @Override
    public void close() {
        engine.close();
    }
}
