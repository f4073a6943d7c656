package org.blazedb.sync.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.ConflictEventDTO;

/** Replicas with engines on one virtual clock, joined by {@link SimRelay}s. */
final class SimCluster {
    static final long START = 1_700_000_000_000L;

    final SimScheduler scheduler = new SimScheduler(START);
    final Random random;
    final SimRelay relay;
    final List<Node> nodes = new ArrayList<>();
    final EngineSettings settings;

    /** One replica and its engine. */
    final class Node {
        final String name;
        final ModelReplica replica;
        final List<Relay> relays = new CopyOnWriteArrayList<>();
        final List<ConflictEventDTO> events = new CopyOnWriteArrayList<>();
        /** Resolutions that name another resolver than the one this node ran at that moment. */
        final List<String> misattributed = new CopyOnWriteArrayList<>();
        volatile ConflictResolver resolver;
        long skewMillis;
        SyncEngine engine;

        Node(String name, NodeId id, ConflictResolver resolver) {
            this.name = name;
            this.resolver = resolver;
            this.replica = new ModelReplica(name, id, () -> scheduler.now() + skewMillis);
            relays.add(relay);
            start();
        }

        /** Starts (or restarts) the engine; the replica and its persisted state stay. */
        void start() {
            engine = new SyncEngine(replica, settings, new BlazeBinaryOperationsCodec(), new SimExecutor(scheduler),
                    () -> resolver, () -> relays, this::resolved);
            replica.setListener(engine::onChanges);
            for (Relay r : relays) {
                if (r instanceof SimRelay s) {
                    s.engines.put(name, engine);
                }
            }
        }

        /** Stops the engine as a bundle stop would. */
        void stop() {
            replica.setListener(c -> { });
            scheduler.runUntil("engine closed", engine.closeAsync()::isDone, 60_000);
            engine.executor().shutdown();
            for (Relay r : relays) {
                if (r instanceof SimRelay s) {
                    s.engines.remove(name, engine);
                }
            }
        }

        private void resolved(ConflictEventDTO e) {
            // the engine runs on the scheduler's thread, as do resolver switches: this is the resolver it used
            if (!e.resolver.equals(resolver.name())) {
                misattributed.add(e.operation + " by " + e.resolver + " while " + resolver.name() + " ran");
            }
            events.add(e);
        }

        void connect(Node other) {
            engine.connect(URI.create(relay.scheme() + ":" + other.name));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    SimCluster(long seed, EngineSettings settings) {
        this.random = new Random(seed);
        this.relay = new SimRelay("sim", scheduler, random);
        this.settings = settings;
    }

    Node add(String name, ConflictResolver resolver) {
        Node n = new Node(name, new NodeId(0x1000 + nodes.size(), random.nextLong()), resolver);
        nodes.add(n);
        return n;
    }

}
