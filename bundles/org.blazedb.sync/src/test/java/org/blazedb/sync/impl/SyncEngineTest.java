package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.junit.jupiter.api.Test;

/** The engine between model replicas on virtual time: what syncs, how much is sent, what is persisted. */
class SyncEngineTest {
    private static final EngineSettings SMALL = new EngineSettings(100, 64 * 1024, 4, 5_000, 100, 5_000, 200);
    private static final long WAIT = 120_000;

    private final SimCluster cluster = new SimCluster(42, SMALL);
    private final SimCluster.Node a = cluster.add("a", new LastWriterWinsResolver());
    private final SimCluster.Node b = cluster.add("b", new LastWriterWinsResolver());

    @Test
    void insertsUpdatesAndDeletesPropagateBothWays() {
        a.replica.put("users", "u1", doc("name", "ada"));
        a.connect(b);
        awaitSame(a, b);
        assertEquals("{name=\"ada\"}", b.replica.snapshot().get("users/u1"));

        b.replica.patch("users", "u1", doc("age", "36"), Operation.noUnset());
        awaitSame(a, b);
        assertEquals("{age=\"36\", name=\"ada\"}", a.replica.snapshot().get("users/u1"));

        b.replica.delete("users", "u1");
        a.replica.put("users", "u2", doc("name", "bob"));
        awaitSame(a, b);
        assertEquals("tombstone", a.replica.snapshot().get("users/u1"));
        assertEquals("{name=\"bob\"}", b.replica.snapshot().get("users/u2"));
    }

    @Test
    void liveWritesArePushedWithoutAskingAndNotEchoed() {
        a.connect(b);
        cluster.scheduler.runUntil("connected", () -> connected(a, b), WAIT);
        long framesBefore = cluster.relay.opsFramesSent;
        a.replica.put("c", "1", doc("v", "1"));
        cluster.scheduler.runUntil("b has the write", () -> b.replica.logSize() == 1, 50);
        b.replica.put("c", "2", doc("v", "2"));
        cluster.scheduler.runUntil("a has b's write", () -> a.replica.logSize() == 2, 50);
        cluster.scheduler.runFor(1_000);
        assertEquals(2, cluster.relay.opsFramesSent - framesBefore, "one OPS frame per write, none echoed back");
    }

    @Test
    void afterARestartOnlyNewOperationsAreSent() {
        for (int i = 0; i < 250; i++) {
            a.replica.put("c", "d" + i, doc("i", "" + i));
        }
        a.connect(b);
        awaitSame(a, b);
        assertEquals(250, peer(a, b).operationsSent);
        a.stop();
        b.stop();
        assertEquals(b.replica.version(), a.replica.peerVersion(b.replica.nodeId()), "persisted when the session ended");

        for (int i = 0; i < 7; i++) {
            a.replica.put("c", "new" + i, doc("i", "" + i));
        }
        a.start();
        b.start();
        assertEquals(7, peer(a, b).pendingOutbound, "pending from the persisted state, before connecting");
        a.connect(b);
        awaitSame(a, b);
        assertEquals(7, peer(a, b).operationsSent, "only the operations written since");
        assertEquals(7, peer(b, a).operationsReceived);
        assertEquals(0, peer(a, b).pendingOutbound);
    }

    @Test
    void operationsRelayAcrossHops() {
        SimCluster.Node c = cluster.add("c", new LastWriterWinsResolver());
        a.connect(b);
        c.connect(b);
        a.replica.put("c", "from-a", doc("v", "a"));
        c.replica.put("c", "from-c", doc("v", "c"));
        cluster.scheduler.runUntil("all three hold both writes",
                () -> a.replica.logSize() == 2 && b.replica.logSize() == 2 && c.replica.logSize() == 2, WAIT);
        assertEquals(a.replica.snapshot(), c.replica.snapshot());
    }

    @Test
    void streamsInBoundedBatchesUnderTheCreditWindow() {
        for (int i = 0; i < 2_000; i++) {
            a.replica.put("c", "d" + i, doc("i", "" + i));
        }
        int[] inFlight = new int[1];
        int[] maxInFlight = new int[1];
        a.connect(b);
        long opsBefore = cluster.relay.opsFramesSent;
        cluster.scheduler.runUntil("b caught up", () -> {
            inFlight[0] = (int) (cluster.relay.opsFramesSent - opsBefore - cluster.relay.maxAckSeq);
            maxInFlight[0] = Math.max(maxInFlight[0], inFlight[0]);
            return b.replica.logSize() == 2_000;
        }, WAIT);
        assertEquals(20, cluster.relay.opsFramesSent - opsBefore, "2,000 operations in batches of at most 100");
        assertTrue(maxInFlight[0] <= SMALL.window(), "never more than the window unacknowledged: " + maxInFlight[0]);
        assertTrue(b.replica.applyCalls < 20, "batches queued behind a commit share the next one: " + b.replica.applyCalls);
        assertTrue(maxInFlight[0] > 1, "batches are pipelined: " + maxInFlight[0]);
    }

    @Test
    void acknowledgedStateIsPersistedAndNeverAheadOfThePeer() {
        for (int i = 0; i < 1_000; i++) {
            a.replica.put("c", "d" + i, doc("i", "" + i));
        }
        a.connect(b);
        cluster.scheduler.runUntil("b caught up and state recorded", () -> {
            assertTrue(b.replica.version().dominates(a.replica.peerVersion(b.replica.nodeId())),
                    "recorded peer state is never ahead of what the peer holds");
            return a.replica.peerVersion(b.replica.nodeId()).equals(a.replica.version());
        }, WAIT);
        assertTrue(a.replica.recordCalls < 20, "recorded in throttled steps, not per batch: " + a.replica.recordCalls);
    }

    @Test
    void duplicatedAndReorderedFramesChangeNothing() {
        cluster.relay.faults.duplicate = 0.5;
        cluster.relay.faults.maxExtraDelay = 20;
        for (int i = 0; i < 500; i++) {
            a.replica.put("c", "d" + (i % 50), doc("i", "" + i));
            b.replica.put("c", "e" + (i % 50), doc("i", "" + i));
        }
        a.connect(b);
        cluster.scheduler.runUntil("both hold all", () -> a.replica.logSize() == 1000 && b.replica.logSize() == 1000, WAIT);
        cluster.relay.faults.duplicate = 0;
        cluster.scheduler.runFor(2_000);
        assertEquals(a.replica.snapshot(), b.replica.snapshot());
        assertNoDuplicates(a);
        assertNoDuplicates(b);
    }

    @Test
    void aDepartingRelayEndsSessionsAndSyncResumesOnAnother() {
        SimRelay second = new SimRelay("sim", cluster.scheduler, cluster.random);
        for (SimCluster.Node n : List.of(a, b)) {
            n.relays.add(second);
            second.engines.put(n.name, n.engine);
        }
        for (int i = 0; i < 300; i++) {
            a.replica.put("c", "d" + i, doc("i", "" + i));
        }
        a.connect(b);
        cluster.scheduler.runUntil("part sent", () -> b.replica.logSize() >= 100, WAIT);
        a.relays.remove(cluster.relay);
        b.relays.remove(cluster.relay);
        a.engine.relaysChanged();
        cluster.relay.cutAll();
        for (int i = 0; i < 50; i++) {
            a.replica.put("c", "late" + i, doc("i", "" + i));
        }
        cluster.scheduler.runUntil("b holds everything via the second relay", () -> b.replica.logSize() == 350, WAIT);
        assertEquals("sim", peer(a, b).relay);
        assertTrue(second.opsFramesSent > 0, "the second relay carried batches");
        assertNoDuplicates(b);
        assertEquals(a.replica.snapshot(), b.replica.snapshot());
    }

    @Test
    void concurrentWritesAreResolvedObservablyAndConverge() {
        a.replica.put("c", "x", doc("v", "from-a"));
        cluster.scheduler.runFor(5);
        b.replica.put("c", "x", doc("v", "from-b"));
        a.connect(b);
        awaitSame(a, b);
        assertEquals("{v=\"from-b\"}", a.replica.snapshot().get("c/x"), "the later writer wins under lww");
        assertTrue(a.events.size() + b.events.size() >= 1, "the conflict was reported");
        for (SimCluster.Node n : List.of(a, b)) {
            n.events.forEach(e -> assertEquals("lww", e.resolver));
            assertEquals(n.events.size(), n.engine.conflictsResolved(), "counter matches the events of " + n);
            assertEquals(n.events.size(), peer(n, n == a ? b : a).conflictsResolved);
        }
    }

    @Test
    void syncNowCompletesWithThePeersStatus() {
        a.connect(b);
        cluster.scheduler.runUntil("connected", () -> connected(a, b), WAIT);
        a.replica.put("c", "1", doc("v", "1"));
        CompletableFuture<PeerStatusDTO> round = a.engine.syncNow(b.replica.nodeId()).toCompletableFuture();
        cluster.scheduler.runUntil("round done", round::isDone, WAIT);
        PeerStatusDTO status = round.join();
        assertTrue(status.connected);
        assertEquals(0, status.pendingOutbound);
        assertTrue(status.lastSyncMillis > 0);
        assertEquals(1, b.replica.logSize());
    }

    @Test
    void disconnectStopsReconnecting() {
        a.connect(b);
        cluster.scheduler.runUntil("connected", () -> connected(a, b), WAIT);
        assertTrue(a.engine.disconnect(URI.create("sim:b")));
        cluster.scheduler.runFor(1_000);
        assertFalse(peer(a, b).connected);
        a.replica.put("c", "1", doc("v", "1"));
        cluster.scheduler.runFor(10_000);
        assertEquals(0, b.replica.logSize());
        assertEquals(1, peer(a, b).pendingOutbound);
    }

    @Test
    void aPeerShowsAsDisconnectedOnlyOnceWhatItAcknowledgedIsRecorded() {
        a.connect(b);
        cluster.scheduler.runUntil("connected", () -> connected(a, b), WAIT);
        a.replica.put("c", "1", doc("v", "1"));
        cluster.scheduler.runUntil("b acknowledged the write", () -> b.replica.logSize() == 1 && peer(a, b).pendingOutbound == 0, WAIT);
        // what a status reader sees while the acknowledged state is being recorded
        List<Boolean> connectedWhileRecording = new ArrayList<>();
        a.replica.beforeRecord = () -> connectedWhileRecording.add(peer(a, b).connected);
        assertTrue(a.engine.disconnect(URI.create("sim:b")));
        cluster.scheduler.runUntil("disconnected", () -> !peer(a, b).connected, WAIT);
        assertEquals(List.of(true), connectedWhileRecording,
                "recorded once, while the peer still showed as connected: whoever sees it disconnected can read its state");
        assertEquals(VersionVector.EMPTY.with(a.replica.nodeId(), 1), a.replica.peerVersion(b.replica.nodeId()));
    }

    @Test
    void peersWhoseSessionsEndedWithoutSendingOrAcknowledgingAnythingAreNotListed() {
        // one peer reconnecting 500 times, claiming a fresh node id in each HELLO
        LinkHandler ignoring = new LinkHandler() {
            @Override
            public void onFrame(Link link, ByteBuffer frame) {
            }

            @Override
            public void onWritabilityChanged(Link link) {
            }

            @Override
            public void onClosed(Link link, Throwable cause) {
            }
        };
        for (int i = 0; i < 500; i++) {
            Link link = cluster.relay.connect(URI.create("sim:a"), ignoring).toCompletableFuture().join();
            link.send(MessageCodec.encode(new Message.Hello(MessageCodec.PROTOCOL_VERSION, NodeId.random(), 0, 16, 1 << 20)));
            link.send(MessageCodec.encode(new Message.Bye()));
            cluster.scheduler.runFor(10);
        }
        cluster.scheduler.runUntil("every session ended", () -> a.engine.sessions().isEmpty(), WAIT);
        assertEquals(0, a.engine.peers().size(), "peers listed after 500 sessions, each under a node id of its own");
    }

    @Test
    void aPeerThatExchangedOperationsStaysListedAfterItDisconnects() {
        a.replica.put("c", "1", doc("v", "1"));
        a.connect(b);
        awaitSame(a, b);
        assertTrue(a.engine.disconnect(URI.create("sim:b")));
        cluster.scheduler.runUntil("disconnected", () -> a.engine.sessions().isEmpty() && b.engine.sessions().isEmpty(), WAIT);
        List<PeerStatusDTO> listedByA = a.engine.peers();
        assertEquals(List.of(b.replica.nodeId().toString()), listedByA.stream().map(p -> p.nodeId).toList(), "b acknowledged a's write");
        assertEquals(1, listedByA.get(0).operationsSent, "with its counters");
        assertFalse(listedByA.get(0).connected);
        assertEquals(List.of(a.replica.nodeId().toString()), b.engine.peers().stream().map(p -> p.nodeId).toList(),
                "a sent b its write");
    }

    /**
     * The store fails to persist what a peer acknowledged (a full disk, say): the vector is kept
     * and the save tried again until it succeeds, though the peer acknowledges nothing more and
     * its session has ended. Dropping it would leave the store's record of the peer behind until
     * the peer acknowledged something again (a pending count too high, and a peer that sent
     * nothing forgotten from the list); a later session would still start from the peer's STATE,
     * so nothing would be skipped either way.
     */
    @Test
    void aFailedSaveOfAnAcknowledgedVectorIsTriedAgainUntilItSucceeds() {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        AtomicInteger failedSaves = new AtomicInteger();
        a.replica.beforeRecord = () -> {
            if (diskFull.get()) {
                failedSaves.incrementAndGet();
                throw new BlazeException(ErrorCode.IO_FAILURE, "No space left on device");
            }
        };
        a.replica.put("c", "1", doc("v", "1"));
        a.connect(b);
        cluster.scheduler.runUntil("b acknowledged a's write and a tried to save it",
                () -> b.replica.logSize() == 1 && peer(a, b).pendingOutbound == 0 && failedSaves.get() > 0, WAIT);
        assertTrue(a.engine.disconnect(URI.create("sim:b")));
        cluster.scheduler.runUntil("disconnected", () -> a.engine.sessions().isEmpty(), WAIT);
        assertEquals(VersionVector.EMPTY, a.replica.peerVersion(b.replica.nodeId()), "nothing saved while the disk is full");
        assertEquals(List.of(b.replica.nodeId().toString()), a.engine.peers().stream().map(p -> p.nodeId).toList(),
                "b, whose acknowledgement is still to be saved, stays listed");

        diskFull.set(false);
        VersionVector acknowledged = VersionVector.EMPTY.with(a.replica.nodeId(), 1);
        cluster.scheduler.runUntil("the acknowledged vector saved once the disk has room",
                () -> a.replica.peerVersion(b.replica.nodeId()).equals(acknowledged), SyncEngine.MAX_RECORD_RETRY_MILLIS * 2);
        int saves = a.replica.recordCalls;
        cluster.scheduler.runFor(SyncEngine.MAX_RECORD_RETRY_MILLIS * 2);
        assertEquals(saves, a.replica.recordCalls, "saved once: no more attempts after it succeeded");
    }

    private void awaitSame(SimCluster.Node x, SimCluster.Node y) {
        cluster.scheduler.runUntil(x + " and " + y + " hold the same operations",
                () -> x.replica.version().equals(y.replica.version()), WAIT);
        cluster.scheduler.runFor(500);
        assertEquals(x.replica.snapshot(), y.replica.snapshot());
    }

    private static boolean connected(SimCluster.Node x, SimCluster.Node y) {
        PeerStatusDTO p = x.engine.peerStatus(y.replica.nodeId());
        return p.connected && p.lastSyncMillis > 0;
    }

    private static PeerStatusDTO peer(SimCluster.Node x, SimCluster.Node y) {
        return x.engine.peerStatus(y.replica.nodeId());
    }

    private static void assertNoDuplicates(SimCluster.Node n) {
        Set<OpId> seen = new HashSet<>();
        for (Operation op : n.replica.log()) {
            assertTrue(seen.add(op.id()), "applied twice: " + op.id());
        }
    }

    static MapValue doc(String key, String value) {
        return MapValue.builder().put(key, value).build();
    }
}
