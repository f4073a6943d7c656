package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How sessions share an engine thread: a session takes turns of at most two batches, a busy engine
 * does not mistake its own backlog for a silent or slow peer, and a peer overrunning the credit
 * window or numbering its batches other than 1, 2, 3, … is refused before its batches are queued. And what becomes of work handed to an engine
 * that stops: links are closed, callers get an error, nobody waits for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionSchedulingTest {
    /** Settings whose credit window is 4 OPS frames. */
    private static final EngineSettings WINDOW_OF_4 = new EngineSettings(1000, 1 << 20, 4, 5_000, 100, 30_000, 200);

    private final MemoryRelayEngines engines = new MemoryRelayEngines();

    @AfterEach
    void stop() {
        engines.close();
    }

    @Test
    void framesWaitingBehindABusyEngineThreadKeepTheirSessionAlive() throws Exception {
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        ModelReplica b = new ModelReplica("b", NodeId.random(), System::currentTimeMillis);
        // both ping every 100 ms when they have sent nothing for that long
        EngineSettings pinging = new EngineSettings(1000, 1 << 20, 16, 100, 100, 30_000, 200);
        SyncEngine ea = engine(a, pinging);
        engine(b, pinging);
        a.put("c", "d1", SyncEngineTest.doc("v", "1"));
        ea.connect(URI.create("memory:b")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        Session session = ea.sessions().get(0);

        // a's engine thread is busy (a long commit, say) while b's PINGs keep arriving ...
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        // ... eight of them, one per 100 ms (the engine used to close a session "silent" for 400 ms
        // here, judging frames by when it got round to them rather than when they arrived)
        Await.until("b's frames queued behind the busy engine", 30, () -> session.queuedFrames() >= 8);
        release.countDown();
        Await.until("a's engine worked through its queue", 30, () -> session.queuedFrames() == 0);

        // The overdue tick ran before the queued frames: it must not have judged b silent or slow.
        PeerStatusDTO round = ea.syncNow(b.nodeId()).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(round.connected);
        assertEquals(0, round.errors, round.lastError);
        assertFalse(session.isClosed());
        Await.until("b holds a's write", 20, () -> b.logSize() == 1);
    }

    @Test
    void aBatchBeyondTheAnnouncedWindowClosesTheLinkBeforeAnythingIsQueued() throws Exception {
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        EngineSettings settings = new EngineSettings(1000, 1 << 20, 4, 5_000, 100, 30_000, 200);
        SyncEngine ea = engine(a, settings);
        RecordingLink peer = new RecordingLink();
        LinkHandler session = ea.accept(peer);
        NodeId rogue = NodeId.random();
        // a's engine thread is held until every frame has been offered, so that a acknowledges
        // nothing meanwhile (an ACK would rightly open the window further)
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        try {
            session.onFrame(peer, MessageCodec.encode(new Message.Hello(MessageCodec.PROTOCOL_VERSION, rogue, 0, 16, 1 << 20)));
            // a announced a window of 4 and acknowledged nothing: batches 1 to 4 are queued, 5 refused
            ByteBuffer empty = new BlazeBinaryOperationsCodec().encode(List.of());
            for (long seq = 1; seq <= 4; seq++) {
                session.onFrame(peer, MessageCodec.encode(new Message.Ops(0, seq, empty.duplicate())));
            }
            assertFalse(peer.closedWith.isDone(), "batches within the window are accepted");
            session.onFrame(peer, MessageCodec.encode(new Message.Ops(0, 5, empty.duplicate())));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, peer.closedWith.getNow(null), "refused on arrival, on the relay's thread");
            assertEquals(5, ((Session) session).queuedFrames(), "HELLO and batches 1 to 4 queued, batch 5 not");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPeerRepeatingOneBatchNumberIsRefusedWithProtocolErrorBeforeMoreThanTheWindowIsQueued() throws Exception {
        SyncEngine ea = engine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), WINDOW_OF_4);
        RecordingLink peer = new RecordingLink();
        LinkHandler session = ea.accept(peer);
        // a's engine thread is held, so that nothing is applied or acknowledged meanwhile: every
        // frame taken in stays queued, and the queue shows what the peer made a hold
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        try {
            session.onFrame(peer, hello());
            for (int i = 0; i < 1000; i++) {
                session.onFrame(peer, emptyOps(1)); // numbered 1 every time: never beyond the window
            }
            assertEquals(ErrorCode.PROTOCOL_ERROR, peer.closedWith.getNow(null), "refused on arrival, on the relay's thread");
            int queued = ((Session) session).queuedFrames();
            assertTrue(queued <= 1 + WINDOW_OF_4.window(), "at most HELLO and a window of batches queued: " + queued);
            assertEquals(2, queued, "HELLO and the first batch 1 queued, no repeat of it");
        } finally {
            release.countDown();
        }
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
    }

    /**
     * STATE frames carrying large vectors, sent while the engine is busy: the link is closed once
     * their bytes pass the bound, long before the bound on the number of frames (4,096 such
     * frames would have held several gigabytes).
     */
    @Test
    void aPeerQueuingLargeStatesIsCutOffByTheirBytesNotOnlyTheirNumber() throws Exception {
        SyncEngine ea = engine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), WINDOW_OF_4);
        RecordingLink peer = new RecordingLink();
        LinkHandler session = ea.accept(peer);
        Map<NodeId, Long> entries = new java.util.HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            entries.put(NodeId.random(), 1L);
        }
        ByteBuffer state = MessageCodec.encode(new Message.State(VersionVector.of(entries), false, false));
        int frameBytes = state.remaining();
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        int sent = 0;
        try {
            session.onFrame(peer, hello());
            while (!peer.closedWith.isDone() && sent < Session.MAX_QUEUED_CONTROL_FRAMES) {
                session.onFrame(peer, state.duplicate());
                sent++;
            }
            assertEquals(ErrorCode.LIMIT_EXCEEDED, peer.closedWith.getNow(null), "refused on arrival after " + sent + " frames");
            assertTrue((long) (sent - 1) * frameBytes <= Session.MAX_QUEUED_CONTROL_BYTES,
                    sent + " frames of " + frameBytes + " bytes were taken in");
            assertEquals(sent - 1, ((Session) session).queuedFrames() - 1, "HELLO and the frames before the refused one queued");
        } finally {
            release.countDown();
        }
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
    }

    @Test
    void batchNumbersOutOfOrderEndTheSessionWithProtocolError() throws Exception {
        SyncEngine ea = engine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), WINDOW_OF_4);
        RecordingLink peer = new RecordingLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello());
        session.onFrame(peer, emptyOps(1));
        session.onFrame(peer, emptyOps(2));
        assertFalse(peer.closedWith.isDone(), "batches 1 and 2 in order are taken in");
        session.onFrame(peer, emptyOps(1));
        assertEquals(ErrorCode.PROTOCOL_ERROR, peer.closedWith.get(5, TimeUnit.SECONDS), "batch 1 again after 2");
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
    }

    @Test
    void aBatchNumberThatSkipsAheadEndsTheSessionWithProtocolError() throws Exception {
        SyncEngine ea = engine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), WINDOW_OF_4);
        RecordingLink peer = new RecordingLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello());
        session.onFrame(peer, emptyOps(1));
        session.onFrame(peer, emptyOps(3)); // within the window, but batch 2 never came
        assertEquals(ErrorCode.PROTOCOL_ERROR, peer.closedWith.get(5, TimeUnit.SECONDS), "batch 3 right after 1");
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
    }

    @Test
    void aSessionSendsAtMostTwoBatchesPerTurnOfTheEngineThread() throws Exception {
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        for (int i = 0; i < 5_000; i++) {
            a.put("c", "d" + i, SyncEngineTest.doc("v", "" + i));
        }
        TurnCountingExecutor turns = new TurnCountingExecutor(new ThreadEngineExecutor("test-turns"));
        SyncEngine ea = new SyncEngine(a, new EngineSettings(100, 1 << 20, 16, 5_000, 100, 30_000, 200),
                new BlazeBinaryOperationsCodec(), turns, LastWriterWinsResolver::new, List::of, ev -> { });
        engines.adopt(ea);
        RecordingLink peer = new RecordingLink();
        peer.turns = turns;
        LinkHandler session = ea.accept(peer);
        // The test is the peer: it announces a window of 16 and holds nothing, so a has 50 batches for it.
        session.onFrame(peer, MessageCodec.encode(new Message.Hello(MessageCodec.PROTOCOL_VERSION, NodeId.random(), 0, 16, 1 << 20)));
        session.onFrame(peer, MessageCodec.encode(new Message.State(VersionVector.EMPTY, false, false)));
        Await.until("a filled the peer's window", 30, () -> peer.opsTurns.size() == 16);
        Map<Long, Long> perTurn = peer.opsTurns.stream()
                .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        // Before fair turns, the whole window (16 batches) went out in the task that handled the STATE.
        assertTrue(perTurn.values().stream().allMatch(n -> n <= Session.BATCHES_PER_TURN), "OPS frames per engine task: " + perTurn);
        assertEquals(8, perTurn.size(), "16 batches in turns of 2: " + perTurn);
    }

    @Test
    void aLinkAcceptedAfterTheEngineStoppedIsClosedNotLeftOpen() throws Exception {
        SyncEngine ea = stoppableEngine(List.of());
        ea.close();
        // A relay may still hand the engine a link it found a moment before (the in-memory relay
        // looks engines up by store name): the peer must see it closed, so that it reconnects.
        RecordingLink late = new RecordingLink();
        ea.accept(late);
        assertEquals(ErrorCode.UNAVAILABLE, late.closedWith.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aLinkThatOpensAfterTheEngineStoppedIsClosedNotLeftOpen() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<Link> opening = new CompletableFuture<>();
        Relay slow = new Relay() {
            @Override
            public String scheme() {
                return "test";
            }

            @Override
            public CompletionStage<Link> connect(URI address, LinkHandler handler) {
                asked.countDown();
                return opening; // a TCP connect and TLS handshake still under way
            }

            @Override
            public String describe() {
                return "test relay: its link opens when the test says";
            }
        };
        SyncEngine ea = stoppableEngine(List.of(slow));
        ea.connect(URI.create("test:peer"));
        assertTrue(asked.await(20, TimeUnit.SECONDS), "the engine asked the relay for a link");
        ea.close();
        // The link opens only now: the engine that wanted it is gone, so the link must be closed,
        // not kept open (and the peer's session with it) until the peer's liveness check notices.
        RecordingLink late = new RecordingLink();
        opening.complete(late);
        late.closedWith.get(5, TimeUnit.SECONDS);
        assertFalse(late.isOpen());
    }

    @Test
    void anEngineStoppedWhileItsThreadIsStuckClosesItsLinksAndRecordsItsAddresses() throws Exception {
        SyncEngine ea = stoppableEngine(List.of(relayWhoseLinksNeverOpen()));
        CompletionStage<PeerStatusDTO> connect = ea.connect(URI.create("test:peer"));
        RecordingLink inbound = new RecordingLink();
        ea.accept(inbound);
        stopWhileItsThreadIsStuck(ea);
        // The peer must see its session end (left open, the transport's keep-alives would hold it
        // with no engine behind it), the caller waiting to connect is told, and a restarted engine
        // can carry the address over.
        assertEquals(ErrorCode.UNAVAILABLE, inbound.closedWith.get(5, TimeUnit.SECONDS));
        assertUnavailable(connect);
        assertEquals(List.of(URI.create("test:peer")), ea.addressesAtStop());
    }

    @Test
    void aConnectAfterTheEngineStoppedFailsWithUnavailable() {
        SyncEngine ea = stoppableEngine(List.of());
        ea.close();
        assertUnavailable(ea.connect(URI.create("memory:b")));
    }

    @Test
    void aConnectQueuedBehindTheEnginesStopFailsWithUnavailableAndIsNotKept() throws Exception {
        SyncEngine ea = stoppableEngine(List.of());
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        // as when the settings change: the engine's stop is queued, and a connect comes in behind it
        CompletableFuture<Void> stopped = ea.closeAsync();
        CompletionStage<PeerStatusDTO> connect = ea.connect(URI.create("memory:b"));
        release.countDown();
        stopped.get(20, TimeUnit.SECONDS);
        assertUnavailable(connect);
        assertTrue(ea.peers().isEmpty(), "the connection is not kept: " + ea.peers());
        ea.close();
    }

    @Test
    void aConnectBetweenTheEnginesStopAndItsShutdownFailsWithUnavailableAndIsNotKept() throws Exception {
        SyncEngine ea = stoppableEngine(List.of());
        ea.closeAsync().get(20, TimeUnit.SECONDS); // stopped; its thread still runs tasks
        assertUnavailable(ea.connect(URI.create("memory:b")));
        assertTrue(ea.peers().isEmpty(), "the connection is not kept: " + ea.peers());
        ea.close();
    }

    @Test
    void aConnectionDisconnectedJustBeforeAStuckEngineStopsTellsItsWaitersUnavailable() throws Exception {
        SyncEngine ea = stoppableEngine(List.of(relayWhoseLinksNeverOpen()));
        URI address = URI.create("test:peer");
        CompletionStage<PeerStatusDTO> connect = ea.connect(address);
        // the disconnect takes the connection out of the engine's hands at once and queues its
        // stop; the engine's stop, queued behind it, overruns its bound and the shutdown drops
        // both: neither will ever end this connection
        stopWhileItsThreadIsStuck(ea, () -> assertTrue(ea.disconnect(address)));
        assertUnavailable(connect);
    }

    @Test
    void aConnectionDisconnectedBehindTheEnginesStopTellsItsWaitersUnavailable() throws Exception {
        SyncEngine ea = stoppableEngine(List.of(relayWhoseLinksNeverOpen()));
        URI address = URI.create("test:peer");
        CompletionStage<PeerStatusDTO> connect = ea.connect(address);
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        CompletableFuture<Void> stopped = ea.closeAsync();
        assertTrue(ea.disconnect(address)); // its stop is queued behind the engine's
        release.countDown();
        stopped.get(20, TimeUnit.SECONDS);
        assertUnavailable(connect);
        ea.close();
    }

    @Test
    void aSyncRequestAfterTheEngineStoppedFailsWithUnavailable() {
        SyncEngine ea = stoppableEngine(List.of());
        ea.close();
        assertUnavailable(ea.syncNow(NodeId.random()));
    }

    @Test
    void stoppingAStoppedEngineAgainEndsAtOnce() throws Exception {
        SyncEngine ea = stoppableEngine(List.of());
        ea.close();
        // its stop task is dropped: without a release the caller would wait out close()'s 10 s bound
        ea.closeAsync().get(5, TimeUnit.SECONDS);
    }

    /** @return a relay of scheme {@code test} that is still trying to open every link it is asked for */
    private static Relay relayWhoseLinksNeverOpen() {
        CompletableFuture<Link> never = new CompletableFuture<>();
        return new Relay() {
            @Override
            public String scheme() {
                return "test";
            }

            @Override
            public CompletionStage<Link> connect(URI address, LinkHandler handler) {
                return never; // still trying: the address stays among the engine's connections
            }

            @Override
            public String describe() {
                return "test relay: its links never open";
            }
        };
    }

    /**
     * Stops the engine while a task outlasts the stop's bound (a commit blocked on the disk), so
     * that the stop is queued behind it and dropped by the shutdown: the engine's thread never
     * runs it. The task is let go once the shutdown has begun, so the test does not wait out the
     * shutdown's own bounds.
     *
     * @param behindTheTask what the test does while the task holds the engine's thread, before the stop
     */
    private static void stopWhileItsThreadIsStuck(SyncEngine ea, Runnable... behindTheTask) throws InterruptedException {
        CountDownLatch release = BusyEngine.occupying(ea.executor());
        for (Runnable r : behindTheTask) {
            r.run();
        }
        Thread closing = new Thread(() -> ea.close(100, TimeUnit.MILLISECONDS), "test-closing");
        closing.start();
        Await.until("the engine's executor shut down", 20, () -> {
            AtomicBoolean dropped = new AtomicBoolean();
            ea.executor().execute(() -> { }, () -> dropped.set(true));
            return dropped.get();
        });
        release.countDown();
        closing.join(20_000);
        assertFalse(closing.isAlive(), "close() returned");
    }

    /** @return an engine on a store of its own, which the test stops */
    private static SyncEngine stoppableEngine(List<Relay> relays) {
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        return new SyncEngine(a, EngineSettings.DEFAULTS, new BlazeBinaryOperationsCodec(),
                new ThreadEngineExecutor("test-stopped"), LastWriterWinsResolver::new, () -> relays, ev -> { });
    }

    private static void assertUnavailable(CompletionStage<?> request) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> request.toCompletableFuture().get(5, TimeUnit.SECONDS));
        BlazeException cause = assertInstanceOf(BlazeException.class, failed.getCause());
        assertEquals(ErrorCode.UNAVAILABLE, cause.code(), cause.getMessage());
    }

    /** Numbers the engine's tasks, so a test can tell which task sent a frame. */
    private static final class TurnCountingExecutor implements EngineExecutor {
        private final EngineExecutor delegate;
        private final AtomicLong turns = new AtomicLong();
        volatile long current;

        TurnCountingExecutor(EngineExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            delegate.execute(() -> {
                current = turns.incrementAndGet();
                task.run();
            });
        }

        @Override
        public void execute(Runnable task, Runnable ifDropped) {
            delegate.execute(() -> {
                current = turns.incrementAndGet();
                task.run();
            }, ifDropped);
        }

        @Override
        public Runnable schedule(Runnable task, long delayMillis) {
            return delegate.schedule(() -> {
                current = turns.incrementAndGet();
                task.run();
            }, delayMillis);
        }

        @Override
        public long now() {
            return delegate.now();
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }
    }

    /**
     * A link that throws on every send once its relay has broken (as a TCP link whose event loop
     * has gone did, with RejectedExecutionException): the session that fails on it still ends,
     * so the engine forgets it, and the engine's stop is not held up by it.
     */
    @Test
    void aSessionWhoseLinkThrowsOnSendEndsAllTheSame() throws Exception {
        EngineSettings pingSoon = new EngineSettings(1000, 1 << 20, 16, 50, 100, 30_000, 200);
        SyncEngine ea = engine(new ModelReplica("a", NodeId.random(), System::currentTimeMillis), pingSoon);
        ThrowingLink broken = new ThrowingLink();
        LinkHandler session = ea.accept(broken);
        session.onFrame(broken, hello());
        Await.until("the session started", 20, () -> !ea.sessions().isEmpty());

        broken.throwing = true; // its next send, a PING within 50 ms, throws; then the ERROR
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
        assertEquals(ErrorCode.UNAVAILABLE, broken.closedWith.getNow(null));

        ThrowingLink second = new ThrowingLink();
        LinkHandler other = ea.accept(second);
        other.onFrame(second, hello());
        Await.until("a later session started and pings", 20, () -> second.sent > 1);
        second.throwing = true;
        long start = System.nanoTime();
        ea.close();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the stop did not wait for the broken link's BYE");
        assertTrue(second.closedWith.isDone());
    }

    /** A link that takes frames until told to throw, as a link whose relay broke. */
    private static final class ThrowingLink extends TestPeerLink {
        volatile boolean throwing;
        volatile int sent;

        ThrowingLink() {
            super("test:broken");
        }

        @Override
        public void send(ByteBuffer frame) {
            if (throwing) {
                throw new java.util.concurrent.RejectedExecutionException("event executor terminated");
            }
            sent++;
        }
    }

    /** @return a HELLO from a fresh node announcing a window of 16 */
    private static ByteBuffer hello() {
        return MessageCodec.encode(new Message.Hello(MessageCodec.PROTOCOL_VERSION, NodeId.random(), 0, 16, 1 << 20));
    }

    /** @return an OPS frame of epoch 0 numbered {@code seq}, carrying no operations */
    private static ByteBuffer emptyOps(long seq) {
        return MessageCodec.encode(new Message.Ops(0, seq, new BlazeBinaryOperationsCodec().encode(List.of())));
    }

    private SyncEngine engine(ModelReplica replica, EngineSettings settings) {
        return engines.engine(replica, settings);
    }

    /** A link whose far end is the test: it records the close. */
    private static final class RecordingLink extends TestPeerLink {
        /** For each OPS frame sent, the engine task that sent it (with {@link #turns} set). */
        final List<Long> opsTurns = new CopyOnWriteArrayList<>();
        TurnCountingExecutor turns;

        RecordingLink() {
            super("test:rogue");
        }

        @Override
        public void send(ByteBuffer frame) {
            if (turns != null && frame.get(frame.position()) == MessageType.OPS.code()) {
                opsTurns.add(turns.current);
            }
        }
    }
}
