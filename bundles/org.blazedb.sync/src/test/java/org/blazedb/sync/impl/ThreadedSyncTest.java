package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.relay.memory.impl.InMemoryRelay;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on real threads joined by the real {@link InMemoryRelay}: concurrency the
 * virtual-time tests cannot show (relay threads, engine threads, writer threads at once).
 */
class ThreadedSyncTest {
    private final MemoryRelayEngines engines = new MemoryRelayEngines();

    @AfterEach
    void stop() {
        engines.close();
    }

    @Test
    void concurrentWritersOnBothSidesConvergeOverTheMemoryRelay() throws Exception {
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        ModelReplica b = new ModelReplica("b", NodeId.random(), System::currentTimeMillis);
        SyncEngine ea = engine(a);
        engine(b);
        PeerStatusDTO first = ea.connect(URI.create("memory:b")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(first.connected);
        Thread[] writers = new Thread[4];
        for (int t = 0; t < writers.length; t++) {
            ModelReplica target = t % 2 == 0 ? a : b;
            int id = t;
            writers[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    target.put("c", "w" + id + "-" + (i % 500), SyncEngineTest.doc("i", "" + i));
                }
            });
            writers[t].start();
        }
        for (Thread w : writers) {
            w.join();
        }
        await("both hold all 20,000 writes", () -> a.logSize() == 20_000 && b.logSize() == 20_000);
        await("same documents", () -> a.snapshot().equals(b.snapshot()));
        assertEquals(a.version(), b.version());
        await("a's recorded state of b caught up", () -> a.peerVersion(b.nodeId()).equals(b.version()));
    }

    private SyncEngine engine(ModelReplica replica) {
        return engines.engine(replica, EngineSettings.DEFAULTS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, 60, condition);
    }

    /** The engine as the relay sees it. */
    static final class EngineService extends EngineBackedSyncService {
        private final SyncEngine engine;

        EngineService(SyncEngine engine) {
            this.engine = engine;
        }

        @Override
        SyncEngine engine() {
            return engine;
        }

        @Override
        String storeName() {
            return null;
        }

        @Override
        List<Relay> relays() {
            return List.of();
        }

        @Override
        String resolverName() {
            return null;
        }
    }
}
