package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.resolver.merge.impl.FieldMergeResolver;
import org.junit.jupiter.api.Test;

/**
 * Randomised convergence (in the manner of Yjs's random tests and Automerge's sync fuzzer): 3–5
 * replicas write puts, patches, deletes and re-creates on a handful of documents while random
 * pairs sync over a relay that delays, reorders, duplicates and drops frames (a drop breaks the
 * link soon after, as on a real transport) and cuts links;
 * clocks are skewed by up to ±10 minutes and jump; engines restart; each replica switches between
 * {@code lww} and {@code merge} at random moments, on its own. After each quiescent point every
 * replica must hold every write (and every operation that records a resolution), identical
 * documents and tombstones, and every write must survive unless a later write saw it or a reported
 * resolution superseded it; every resolution must name the resolver its replica ran at that moment.
 *
 * <p>Replicas deciding one conflict with different resolvers converge because a decision that
 * differs from the deterministic merge is written as an operation ({@link ModelReplica#apply}, as
 * the store does), which replicates like any write.
 *
 * <p>{@code -Dblaze.convergence.seeds=N} runs N seeds (default 1,000, about five seconds);
 * {@code -Dblaze.convergence.seed=S} replays one seed; a failure names its seed.
 */
class ConvergenceTest {
    private static final String[] DOCS = {"a/1", "a/2", "a/3", "b/1"};
    private static final String[] FIELDS = {"x", "y", "z"};
    private static final List<ConflictResolver> RESOLVERS = List.of(new LastWriterWinsResolver(), new FieldMergeResolver());
    /** Faults make sessions fail by design; their warnings would drown the output. Held: loggers are weak. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.blazedb.sync");

    static {
        QUIET.setLevel(Long.getLong("blaze.convergence.seed", -1) >= 0 ? java.util.logging.Level.INFO
                : java.util.logging.Level.SEVERE);
    }

    @Test
    void replicasConvergeForManySeeds() {
        long single = Long.getLong("blaze.convergence.seed", -1);
        if (single >= 0) {
            run(single);
            return;
        }
        int seeds = Integer.getInteger("blaze.convergence.seeds", 1000);
        long base = Long.getLong("blaze.convergence.base", 1);
        long start = System.nanoTime();
        for (long seed = base; seed < base + seeds; seed++) {
            try {
                run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Convergence failed for seed " + seed
                        + "; replay it with -Dblaze.convergence.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
        System.out.printf("convergence: %d seeds passed in %.1f s%n", seeds, (System.nanoTime() - start) / 1e9);
    }

    private static void run(long seed) {
        Random r = new Random(seed);
        EngineSettings settings = new EngineSettings(1 + r.nextInt(8), 4096, 1 + r.nextInt(4), 300, 20, 1_000, 50);
        SimCluster cluster = new SimCluster(seed, settings);
        int n = 3 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            SimCluster.Node node = cluster.add("n" + i, RESOLVERS.get(r.nextInt(2)));
            node.skewMillis = r.nextInt(1_200_001) - 600_000;
        }
        cluster.relay.faults.drop = r.nextDouble() * 0.05;
        cluster.relay.faults.duplicate = r.nextDouble() * 0.1;
        cluster.relay.faults.maxExtraDelay = r.nextInt(30);
        List<Operation> writes = new ArrayList<>();
        for (int phase = 0; phase < 2; phase++) {
            int steps = 30 + r.nextInt(50);
            for (int step = 0; step < steps; step++) {
                act(cluster, r, writes);
                cluster.scheduler.runFor(r.nextInt(40));
            }
            quiesce(cluster, writes);
            for (SimCluster.Node node : cluster.nodes) {
                node.replica.compact();
            }
        }
    }

    private static void act(SimCluster cluster, Random r, List<Operation> writes) {
        List<SimCluster.Node> nodes = cluster.nodes;
        SimCluster.Node node = nodes.get(r.nextInt(nodes.size()));
        int dice = r.nextInt(100);
        if (dice < 55) {
            writes.add(write(node, r));
        } else if (dice < 72) {
            SimCluster.Node other = nodes.get(r.nextInt(nodes.size()));
            if (other != node) {
                node.connect(other);
            }
        } else if (dice < 77) {
            node.engine.disconnect(URI.create("sim:" + nodes.get(r.nextInt(nodes.size())).name));
        } else if (dice < 83) {
            cluster.relay.cutRandom();
        } else if (dice < 87) {
            node.skewMillis += r.nextInt(120_001) - 60_000; // the wall clock jumps, either way
        } else if (dice < 89) {
            node.stop();
            node.start();
        } else if (dice < 93) {
            node.resolver = RESOLVERS.get(1 - RESOLVERS.indexOf(node.resolver)); // mid-run, this replica only
        } else {
            cluster.scheduler.runFor(r.nextInt(300));
        }
    }

    private static Operation write(SimCluster.Node node, Random r) {
        String[] doc = DOCS[r.nextInt(DOCS.length)].split("/");
        ModelDocument existing = node.replica.document(doc[0], doc[1]);
        boolean live = existing != null && existing.state().exists() && !existing.state().deleted();
        int dice = r.nextInt(10);
        if (live && dice < 2) {
            return node.replica.delete(doc[0], doc[1]);
        }
        if (live && dice < 6) {
            MapValue.Builder set = MapValue.builder();
            TreeSet<String> unset = new TreeSet<>(Value.KEY_ORDER);
            for (String f : FIELDS) {
                int d = r.nextInt(4);
                if (d == 0) {
                    set.put(f, r.nextInt(100));
                } else if (d == 1) {
                    unset.add(f);
                }
            }
            return node.replica.patch(doc[0], doc[1], set.build(), unset);
        }
        MapValue.Builder fields = MapValue.builder();
        for (String f : FIELDS) {
            if (r.nextBoolean()) {
                fields.put(f, r.nextInt(100));
            }
        }
        return node.replica.put(doc[0], doc[1], fields.build());
    }

    /**
     * Heals the network, joins every replica to the first, waits until all hold every write and the
     * same operations (resolutions write operations too, so this repeats until none is written for
     * a while), then checks.
     */
    private static void quiesce(SimCluster cluster, List<Operation> writes) {
        cluster.relay.faults.drop = 0;
        cluster.relay.faults.duplicate = 0;
        double extra = cluster.relay.faults.maxExtraDelay;
        cluster.relay.faults.maxExtraDelay = 0;
        Map<NodeId, Long> all = new HashMap<>();
        for (Operation w : writes) {
            all.merge(w.id().origin(), w.id().sequence(), Math::max);
        }
        VersionVector written = VersionVector.of(all);
        SimCluster.Node hub = cluster.nodes.get(0);
        for (SimCluster.Node node : cluster.nodes.subList(1, cluster.nodes.size())) {
            node.connect(hub);
        }
        for (int round = 0; ; round++) {
            awaitAll(cluster, written);
            VersionVector held = hub.replica.version();
            cluster.scheduler.runFor(1_000);
            if (cluster.nodes.stream().allMatch(node -> node.replica.version().equals(held))) {
                break;
            }
            assertTrue(round < 20, "resolutions keep writing operations after 20 rounds: " + held);
        }
        Map<String, String> reference = hub.replica.snapshot();
        for (SimCluster.Node node : cluster.nodes) {
            assertEquals(reference, node.replica.snapshot(), "documents and tombstones of " + node + " vs " + hub);
            assertEquals(List.of(), node.misattributed, "resolutions by the resolver " + node + " ran");
        }
        checkNoWriteLost(cluster, writes);
        cluster.relay.faults.maxExtraDelay = (int) extra;
    }

    /** Runs until every replica holds the same operations, every write among them. */
    private static void awaitAll(SimCluster cluster, VersionVector expected) {
        try {
            cluster.scheduler.runUntil("every replica holds every write and the same operations", () -> {
                VersionVector first = cluster.nodes.get(0).replica.version();
                return first.dominates(expected) && cluster.nodes.stream().allMatch(node -> node.replica.version().equals(first));
            }, 600_000);
        } catch (AssertionError stuck) {
            StringBuilder why = new StringBuilder(stuck.getMessage()).append("; expected ").append(expected);
            for (SimCluster.Node node : cluster.nodes) {
                why.append("\n ").append(node).append(' ').append(node.replica.nodeId()).append(" holds ")
                        .append(node.replica.version());
                node.engine.peers().forEach(p -> why.append("\n   peer ").append(p.nodeId).append(" @").append(p.address)
                        .append(" connected=").append(p.connected).append(" out=").append(p.pendingOutbound)
                        .append(" in=").append(p.pendingInbound).append(" err=").append(p.lastError));
            }
            throw new AssertionError(why.toString(), stuck);
        }
    }

    /**
     * An operation that no later operation saw (a head: a write, or an operation recording a
     * resolution) must show in the final document, unless the document had concurrent heads, in
     * which case a resolution must have been reported for it. A write superseded by a resolution is
     * seen by the operation recording it, whose decision shows instead.
     */
    private static void checkNoWriteLost(SimCluster cluster, List<Operation> writes) {
        ModelReplica any = cluster.nodes.get(0).replica;
        Map<String, List<Operation>> byDoc = new HashMap<>();
        for (Operation w : any.log()) {
            byDoc.computeIfAbsent(w.collection() + "/" + w.documentId(), k -> new ArrayList<>()).add(w);
        }
        Set<String> reported = new TreeSet<>();
        Set<String> decisions = new TreeSet<>();
        for (SimCluster.Node node : cluster.nodes) {
            for (ConflictEventDTO e : node.events) {
                reported.add(e.collection + "/" + e.documentId);
                if (e.resolutionOperation != null) {
                    decisions.add(e.resolutionOperation);
                }
            }
        }
        for (Map.Entry<String, List<Operation>> e : byDoc.entrySet()) {
            List<Operation> heads = new ArrayList<>();
            for (Operation w : e.getValue()) {
                boolean seenLater = e.getValue().stream().anyMatch(o -> o != w && o.context().contains(w.id()));
                if (!seenLater) {
                    heads.add(w);
                }
            }
            if (heads.size() > 1) {
                // concurrent heads are resolved on at least one replica, and that is reported
                assertTrue(reported.contains(e.getKey()), "concurrent writes on " + e.getKey() + " resolved without a report");
                continue;
            }
            Operation head = heads.get(0);
            String[] id = e.getKey().split("/");
            ModelDocument.State state = any.document(id[0], id[1]).state();
            if (head.kind() == OperationKind.DELETE) {
                assertTrue(state.deleted(), "delete " + head.id() + " survived on " + e.getKey());
            } else {
                assertTrue(!state.deleted(), "write " + head.id() + " survived on " + e.getKey());
                head.fields().entries().forEach((f, v) ->
                        assertEquals(v, state.fields().entries().get(f), "field " + f + " of " + head.id()));
                for (String f : head.unset()) {
                    assertTrue(!state.fields().entries().containsKey(f), "unset " + f + " of " + head.id());
                }
                if (head.kind() == OperationKind.PUT) {
                    assertEquals(head.fields(), state.fields(), "put " + head.id());
                }
            }
        }
        Set<OpId> written = new HashSet<>();
        writes.forEach(w -> written.add(w.id()));
        for (Operation op : any.log()) {
            assertTrue(written.contains(op.id()) || decisions.contains(op.id().toString()),
                    "operation " + op.id() + " is neither a write nor a reported resolution");
        }
    }
}
