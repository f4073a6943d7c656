package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.relay.memory.impl.InMemoryRelay;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

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

    @Test
    void writesOnBothSidesConvergeWhileTheirEnginesRestartForChangedSettings() throws Exception {
        InMemoryRelay relay = new InMemoryRelay();
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        ModelReplica b = new ModelReplica("b", NodeId.random(), System::currentTimeMillis);
        SyncComponent syncA = component(a, relay);
        SyncComponent syncB = component(b, relay);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            syncA.connect(URI.create("memory:b")); // made at runtime, as blaze:connect does
            Thread writerA = writer(a, b, stop);
            Thread writerB = writer(b, a, stop);
            // Each engine restarts three times while both sides write; every restart waits until
            // some operations crossed since the one before.
            for (int round = 0; round < 6; round++) {
                int crossedBefore = crossed(a, b);
                Await.until("operations crossing between restarts", 60, () -> crossed(a, b) >= crossedBefore + 300);
                (round % 2 == 0 ? syncA : syncB).modified(config(Map.of("window", 8 + round)));
            }
            stop.set(true);
            writerA.join(60_000);
            writerB.join(60_000);
            long written = a.version().get(a.nodeId()) + b.version().get(b.nodeId());
            Await.until("both hold every write", 60, () -> a.logSize() == written && b.logSize() == written);
            Await.until("the same documents", 60, () -> a.snapshot().equals(b.snapshot()));
            assertEquals(a.version(), b.version());
        } finally {
            stop.set(true);
            syncA.deactivate();
            syncB.deactivate();
            relay.deactivate();
        }
    }

    /** @return the operations each replica received from the other, added up */
    private static int crossed(ModelReplica a, ModelReplica b) {
        return (int) (a.version().get(b.nodeId()) + b.version().get(a.nodeId()));
    }

    /**
     * @return a started thread putting documents into {@code replica} until {@code stop}, never more
     *     than 2,000 ahead of what {@code peer} received from it (so that it writes for as long as
     *     the test restarts engines, however fast this machine)
     */
    private static Thread writer(ModelReplica replica, ModelReplica peer, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                replica.put("c", replica.name() + "-" + (i % 400), SyncEngineTest.doc("i", "" + i));
                while (!stop.get() && peer.version().get(replica.nodeId()) < i - 2_000) {
                    LockSupport.parkNanos(100_000); // until sync catches up, or the test ends
                }
            }
        }, "test-writer-" + replica.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * @return the component for {@code replica}, as DS wires it: bound to the relay and to the lww
     *     resolver, registered with the relay, listening to the replica
     */
    private static SyncComponent component(ModelReplica replica, InMemoryRelay relay) {
        SyncComponent sync = new SyncComponent(config(Map.of()), replica);
        sync.bindRelay(relay, onlyReference(Map.of()));
        LastWriterWinsResolver lww = new LastWriterWinsResolver();
        sync.bindResolver(lww, onlyReference(Map.of(ConflictResolver.NAME, lww.name())));
        replica.setListener(sync::onChanges);
        relay.register(replica.name(), sync);
        return sync;
    }

    /**
     * @param properties the service's properties
     * @return a reference for the only service of its kind bound (the component orders them by it)
     */
    @SuppressWarnings("unchecked")
    private static <S> ServiceReference<S> onlyReference(Map<String, Object> properties) {
        return (ServiceReference<S>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "compareTo" -> 0;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> null;
                });
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
