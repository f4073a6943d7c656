package org.blazedb.sync.impl;

import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.sync.Relay;
import org.blazedb.relay.memory.impl.InMemoryRelay;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;

/**
 * Engines on real threads joined by the real {@link InMemoryRelay}, for tests: each engine is
 * registered with the relay under its replica's name, and {@link #close} stops them all.
 */
final class MemoryRelayEngines implements AutoCloseable {
    final InMemoryRelay relay = new InMemoryRelay();
    private final List<SyncEngine> engines = new ArrayList<>();

    /**
     * @param replica  the engine's replica; its name is the engine's {@code memory:} address
     * @param settings the engine's settings
     * @return a started engine listening on the relay, resolving conflicts with last-writer-wins
     */
    SyncEngine engine(ModelReplica replica, EngineSettings settings) {
        List<Relay> relays = List.of(relay);
        SyncEngine e = new SyncEngine(replica, settings, new BlazeBinaryOperationsCodec(),
                new ThreadEngineExecutor("test-" + replica.name()), LastWriterWinsResolver::new, () -> relays, ev -> { });
        replica.setListener(e::onChanges);
        relay.register(replica.name(), new ThreadedSyncTest.EngineService(e));
        return adopt(e);
    }

    /** @return {@code engine}, now stopped by {@link #close} too */
    SyncEngine adopt(SyncEngine engine) {
        engines.add(engine);
        return engine;
    }

    @Override
    public void close() {
        engines.forEach(SyncEngine::close);
        relay.deactivate();
    }
}
