package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.Change;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.sync.DeliveryThread;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session takes a frame in on the thread delivering it, for an idle engine, exactly as far as the
 * link declares that thread may work ({@link DeliveryThreadRule}); otherwise the frame waits for the
 * engine's thread, in order. The test is the peer and the delivering thread: what the engine sends
 * back is recorded with the thread that sent it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeliveryThreadStandInTest {
    private final ThreadEngineExecutor executor = new ThreadEngineExecutor("test-standin");
    private final ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
    private final ModelReplica b = new ModelReplica("b", NodeId.random(), System::currentTimeMillis);
    private final PeerLink link = new PeerLink();
    private SyncEngine engine;
    private LinkHandler session;
    private long nextSeq = 1;

    @BeforeEach
    void open() throws InterruptedException {
        // Without timers (pings, the periodic tick) the engine is idle exactly when the test says so.
        engine = new SyncEngine(a, EngineSettings.DEFAULTS, new BlazeBinaryOperationsCodec(), new Timerless(executor),
                LastWriterWinsResolver::new, List::of, ev -> { });
        session = engine.accept(link);
        deliver(DeliveryThread.HAND_OVER, new Message.Hello(MessageCodec.PROTOCOL_VERSION, b.nodeId(), 0, 16, 1 << 20));
        deliver(DeliveryThread.HAND_OVER, new Message.State(b.version(), false, false));
        Await.until("a answered HELLO with its STATE", 30, () -> link.sent(MessageType.STATE) == 1);
        Await.until("a's engine is idle", 30, executor::isIdle);
        link.sent.clear();
    }

    @AfterEach
    void close() {
        engine.close();
        executor.shutdown();
    }

    @Test
    void anEventLoopAnswersAPingItselfButHandsABatchToTheEngine() throws InterruptedException {
        deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(7));
        assertEquals(1, link.sent.size(), "answered before the delivering thread got its frame handed back");
        assertEquals(new Message.Pong(7), link.sent.get(0).message());
        assertSame(Thread.currentThread(), link.sent.get(0).thread());

        deliver(DeliveryThread.NON_BLOCKING, batch(b.put("c", "d1", SyncEngineTest.doc("v", "1"))));
        Await.until("a acknowledged the batch", 30, () -> link.sent(MessageType.ACK) == 1);
        assertEquals("test-standin", link.sent.get(1).thread().getName(), "a commit never runs on an event loop");
        assertEquals(1, a.logSize());
    }

    @Test
    void anEventLoopTakesInTheAcknowledgementOfALiveBatchForTheIdleEngine() throws InterruptedException {
        // a's own write, offered as its change feed does: the batch goes out on the offering thread
        Operation write = a.put("c", "mine", SyncEngineTest.doc("v", "1"));
        engine.onChanges(List.of(new Change(1, write, true)));
        assertEquals(1, link.sent(MessageType.OPS));
        assertEquals(1, engine.peerStatus(b.nodeId()).pendingOutbound);
        Await.until("a's engine is idle", 30, executor::isIdle);

        deliver(DeliveryThread.NON_BLOCKING, new Message.Ack(1, a.version()));
        // Taken in before the delivering thread got its frame handed back: the credit is returned
        // and the peer counted as holding the write, without the engine's thread.
        assertEquals(0, engine.peerStatus(b.nodeId()).pendingOutbound);
    }

    @Test
    void byDefaultALinksThreadOnlyHandsFramesOver() throws InterruptedException {
        deliver(DeliveryThread.HAND_OVER, new Message.Ping(3));
        Await.until("a answered the PING", 30, () -> link.sent(MessageType.PONG) == 1);
        assertEquals("test-standin", link.sent.get(0).thread().getName());
        deliver(DeliveryThread.HAND_OVER, batch(b.put("c", "d1", SyncEngineTest.doc("v", "1"))));
        Await.until("a acknowledged the batch", 30, () -> link.sent(MessageType.ACK) == 1);
        assertEquals("test-standin", link.sent.get(1).thread().getName());
    }

    @Test
    void aBusyEngineGetsEveryFrameQueuedInArrivalOrderForItsOwnThread() throws InterruptedException {
        CountDownLatch release = BusyEngine.occupying(executor);
        deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(1));
        deliver(DeliveryThread.NON_BLOCKING, batch(b.put("c", "d1", SyncEngineTest.doc("v", "1"))));
        deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(2));
        assertTrue(link.sent.isEmpty(), "nothing was taken in while the engine was busy: " + link.sent);
        assertEquals(0, a.logSize());
        release.countDown();
        Await.until("a answered everything", 30, () -> link.sent.size() == 3);
        assertEquals(List.of(new Message.Pong(1), new Message.Pong(2)),
                link.sent.stream().map(Sent::message).filter(m -> m instanceof Message.Pong).toList());
        assertTrue(link.sent.stream().allMatch(s -> s.thread().getName().equals("test-standin")), link.sent.toString());
        assertEquals(1, a.logSize());
        // Once the engine is idle again, the next frame is taken in by the delivering thread again.
        Await.until("a's engine is idle", 30, executor::isIdle);
        deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(3));
        assertSame(Thread.currentThread(), link.sent.get(3).thread());
    }

    @Test
    void aFailureWhileAFrameIsTakenInStaysOffTheDeliveringThreadAndTheNextFrameIsStillTakenIn() {
        link.failSends.set(1); // the PONG's send throws an Error, as a broken transport might
        assertDoesNotThrow(() -> deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(1)));
        assertDoesNotThrow(() -> deliver(DeliveryThread.NON_BLOCKING, new Message.Ping(2)));
        assertEquals(List.of(new Message.Pong(2)), link.sent.stream().map(Sent::message).toList());
        assertSame(Thread.currentThread(), link.sent.get(0).thread());
        assertFalse(((Session) session).isClosed());
        assertTrue(executor.isIdle());
    }

    private void deliver(DeliveryThread thread, Message message) {
        link.delivery = thread;
        session.onFrame(link, MessageCodec.encode(message));
    }

    /** @return the next OPS frame of b's, carrying {@code op} */
    private Message.Ops batch(Operation op) {
        return new Message.Ops(0, nextSeq++, new BlazeBinaryOperationsCodec().encode(List.of(op)));
    }

    /** A frame the engine sent, and the thread that sent it. */
    private record Sent(Message message, Thread thread) { }

    /** The link to the test's peer: declares what the delivering thread may do, records what is sent. */
    private static final class PeerLink implements Link {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger failSends = new AtomicInteger();
        volatile DeliveryThread delivery = DeliveryThread.HAND_OVER;

        long sent(MessageType type) {
            return sent.stream().filter(s -> s.message().type() == type).count();
        }

        @Override
        public DeliveryThread deliveryThread() {
            return delivery;
        }

        @Override
        public URI remoteAddress() {
            return URI.create("test:b");
        }

        @Override
        public String relay() {
            return "test";
        }

        @Override
        public void send(ByteBuffer frame) {
            if (failSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new AssertionError("send failed (test)");
            }
            sent.add(new Sent(MessageCodec.decode(frame), Thread.currentThread()));
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close(ErrorCode code, String reason) {
            // the test's peer has nothing to release
        }
    }

    /** The engine's executor without timers, so that nothing runs on it unless the test causes it. */
    private record Timerless(ThreadEngineExecutor delegate) implements EngineExecutor {
        @Override
        public void execute(Runnable task) {
            delegate.execute(task);
        }

        @Override
        public void execute(Runnable task, Runnable ifDropped) {
            delegate.execute(task, ifDropped);
        }

        @Override
        public void executeHereIfIdle(Runnable task) {
            delegate.executeHereIfIdle(task);
        }

        @Override
        public void executeOnEngineThread(Runnable task) {
            delegate.executeOnEngineThread(task);
        }

        @Override
        public boolean callerRunsEngineWork() {
            return delegate.callerRunsEngineWork();
        }

        @Override
        public Runnable schedule(Runnable task, long delayMillis) {
            return () -> { };
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
}
