package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.blazedb.api.NodeId;
import org.junit.jupiter.api.Test;

/** The component around an engine: what its configuration changes do to the engine's connections. */
class SyncComponentTest {

    @Test
    void aRestartForChangedSettingsKeepsRuntimeConnectionsAndTakesPeersFromTheNewConfiguration() {
        ModelReplica replica = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        SyncComponent sync = new SyncComponent(config(Map.of("peers", new String[] {"test:configured"})), replica);
        try {
            // no relay runs for "test:": both connections wait for one, as a TCP peer that is down does
            sync.connect(URI.create("test:runtime"));
            assertEquals(Set.of("test:configured", "test:runtime"), addresses(sync));

            // a setting that restarts the engine changes, and the configuration no longer names the peer
            sync.modified(config(Map.of("window", 8)));
            assertEquals(Set.of("test:runtime"), addresses(sync),
                    "the connection made with blaze:connect survives the restart; the one removed from the configuration does not");
        } finally {
            sync.deactivate();
        }
    }

    /** @return the addresses the engine is connected to or trying to reach */
    private static Set<String> addresses(SyncComponent sync) {
        return sync.peers().stream().map(p -> p.address).collect(Collectors.toSet());
    }

    /** @return a configuration with these values, the rest at their defaults */
    private static SyncComponent.Config config(Map<String, Object> values) {
        return (SyncComponent.Config) Proxy.newProxyInstance(SyncComponent.Config.class.getClassLoader(),
                new Class<?>[] {SyncComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}
