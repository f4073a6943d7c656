package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Relay;
import org.blazedb.relay.memory.impl.InMemoryRelay;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/**
 * The component around an engine, wired as Declarative Services wires it: what its configuration
 * changes, and relays and resolvers coming and going, do to its connections and its data.
 */
class SyncComponentTest {
    private final InMemoryRelay relay = new InMemoryRelay();
    private final ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
    private final ModelReplica b = new ModelReplica("b", NodeId.random(), System::currentTimeMillis);
    /** Tells the writers to stop. */
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<SyncComponent> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        stop.set(true);
        started.forEach(SyncComponent::deactivate);
        relay.deactivate();
    }

    @Test
    void aRestartForChangedSettingsKeepsRuntimeConnectionsAndTakesPeersFromTheNewConfiguration() {
        SyncComponent sync = new SyncComponent(config(Map.of("peers", new String[] {"test:configured"})), a);
        started.add(sync);
        // no relay runs for "test:": both connections wait for one, as a TCP peer that is down does
        sync.connect(URI.create("test:runtime"));
        assertEquals(Set.of("test:configured", "test:runtime"), addresses(sync));

        // a setting that restarts the engine changes, and the configuration no longer names the peer
        sync.modified(config(Map.of("window", 8)));
        assertEquals(Set.of("test:runtime"), addresses(sync),
                "the connection made with blaze:connect survives the restart; the one removed from the configuration does not");
    }

    @Test
    void writesOnBothSidesConvergeWhileTheirEnginesRestartForChangedSettings() throws Exception {
        SyncComponent syncA = wire(a).sync;
        SyncComponent syncB = wire(b).sync;
        syncA.connect(URI.create("memory:b")); // made at runtime, as blaze:connect does
        Thread writerA = writer(a, b, a.name());
        Thread writerB = writer(b, a, b.name());
        // Each engine restarts three times while both sides write; every restart waits until
        // some operations crossed since the one before.
        for (int round = 0; round < 6; round++) {
            awaitCrossing();
            (round % 2 == 0 ? syncA : syncB).modified(config(Map.of("window", 8 + round)));
        }
        stopWritersAndAwaitConvergence(writerA, writerB);
    }

    @Test
    void writesToTheSameDocumentsConvergeWhileTheRelayAndTheResolversComeAndGo() throws Exception {
        Wired wiredA = wire(a);
        Wired wiredB = wire(b);
        wiredA.sync.connect(URI.create("memory:b"));
        // both write the same 400 documents: conflicts all the time, which need a resolver
        Thread writerA = writer(a, b, "shared");
        Thread writerB = writer(b, a, "shared");
        awaitCrossing();

        // the relay's bundle stops on a: its sessions end ...
        wiredA.sync.unbindRelay(relay, wiredA.relayReference);
        Await.until("a's session with b ended", 30, () -> wiredA.sync.peers().stream().noneMatch(p -> p.connected));
        // ... and starts again: a reconnects and catches up
        wiredA.sync.bindRelay(relay, wiredA.relayReference);
        awaitCrossing();

        // b's resolver stops: b refuses batches it cannot resolve (E409) and the sessions retry ...
        wiredB.sync.unbindResolver(wiredB.resolver, wiredB.resolverReference);
        Await.until("b refused a batch for want of a resolver", 30, () -> wiredB.sync.peers().stream()
                .anyMatch(p -> p.lastError != null && p.lastError.contains("No conflict resolver")));
        // ... until it runs again
        wiredB.sync.bindResolver(wiredB.resolver, wiredB.resolverReference);
        awaitCrossing();

        stopWritersAndAwaitConvergence(writerA, writerB);
        assertTrue(wiredA.sync.status().conflictsResolved + wiredB.sync.status().conflictsResolved > 0,
                "the writes conflicted, and were resolved");
    }

    /** @return a component for {@code replica}, deactivated after the test */
    private Wired wire(ModelReplica replica) {
        Wired wired = Wired.up(replica, relay);
        started.add(wired.sync);
        return wired;
    }

    /** Stops the writers; both replicas must then end with every write and the same documents. */
    private void stopWritersAndAwaitConvergence(Thread... writers) throws InterruptedException {
        stop.set(true);
        for (Thread w : writers) {
            w.join(60_000);
        }
        long written = a.version().get(a.nodeId()) + b.version().get(b.nodeId());
        Await.until("both hold every write", 60, () -> a.logSize() == written && b.logSize() == written);
        Await.until("the same documents", 60, () -> a.snapshot().equals(b.snapshot()));
        assertEquals(a.version(), b.version());
    }

    /** Waits until at least 300 more operations crossed between a and b, in either direction. */
    private void awaitCrossing() throws InterruptedException {
        int before = crossed();
        Await.until("operations crossing", 60, () -> crossed() >= before + 300);
    }

    /** @return the operations a and b received from each other, added up */
    private int crossed() {
        return (int) (a.version().get(b.nodeId()) + b.version().get(a.nodeId()));
    }

    /**
     * @param idPrefix the documents' ids are this and a number under 400
     * @return a started thread putting documents into {@code replica} until {@link #stop}, never more
     *     than 2,000 ahead of what {@code peer} received from it (so that it writes for as long as
     *     the test restarts engines, however fast this machine)
     */
    private Thread writer(ModelReplica replica, ModelReplica peer, String idPrefix) {
        Thread t = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                replica.put("c", idPrefix + "-" + (i % 400), SyncEngineTest.doc(replica.name(), "" + i));
                while (!stop.get() && peer.version().get(replica.nodeId()) < i - 2_000) {
                    LockSupport.parkNanos(100_000); // until sync catches up, or the test ends
                }
            }
        }, "test-writer-" + replica.name());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A component as DS wires it, with the references it was bound with (to unbind them). */
    private record Wired(SyncComponent sync, ServiceReference<Relay> relayReference, LastWriterWinsResolver resolver,
                         ServiceReference<ConflictResolver> resolverReference) {
        /**
         * @return the component for {@code replica}: bound to the relay and to an lww resolver,
         *     registered with the relay, listening to the replica
         */
        static Wired up(ModelReplica replica, InMemoryRelay relay) {
            SyncComponent sync = new SyncComponent(config(Map.of()), replica);
            Wired wired = new Wired(sync, onlyReference(Map.of()), new LastWriterWinsResolver(),
                    onlyReference(Map.of(ConflictResolver.NAME, "lww")));
            sync.bindRelay(relay, wired.relayReference);
            sync.bindResolver(wired.resolver, wired.resolverReference);
            replica.setListener(sync::onChanges);
            relay.register(replica.name(), sync);
            return wired;
        }
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
