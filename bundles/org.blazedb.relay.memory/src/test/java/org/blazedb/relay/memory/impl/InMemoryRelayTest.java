package org.blazedb.relay.memory.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryRelayTest {
    private final InMemoryRelay relay = new InMemoryRelay();
    private final Recorder server = new Recorder();

    @AfterEach
    void stop() {
        relay.deactivate();
    }

    @Test
    void framesArriveInOrderAtTheNamedEngineAndBack() throws Exception {
        relay.register("db2", engine(server));
        Recorder client = new Recorder();
        Link link = relay.connect(URI.create("memory:db2"), client).toCompletableFuture().join();
        assertEquals("memory", link.relay());
        for (int i = 0; i < 1000; i++) {
            link.send(ByteBuffer.wrap(new byte[] {(byte) (i >> 8), (byte) i}));
        }
        server.await(1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, server.frames.get(i).getShort(0) & 0xffff);
        }
        server.link.send(ByteBuffer.wrap(new byte[] {42}));
        client.await(1);
        assertEquals(42, client.frames.get(0).get(0));
    }

    @Test
    void closingOneEndTellsTheOtherWithTheCodeAfterQueuedFrames() throws Exception {
        relay.register("db2", engine(server));
        Recorder client = new Recorder();
        Link link = relay.connect(URI.create("memory:db2"), client).toCompletableFuture().join();
        link.send(ByteBuffer.wrap(new byte[] {1}));
        link.close(ErrorCode.TIMEOUT, "bye");
        assertTrue(server.closed.await(5, TimeUnit.SECONDS));
        assertEquals(1, server.frames.size(), "the frame sent before the close arrived first");
        assertEquals(ErrorCode.TIMEOUT, ((BlazeException) server.cause).code());
        assertFalse(link.isOpen());
        assertTrue(client.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownStoreIsAClearError() {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> relay.connect(URI.create("memory:nowhere"), new Recorder()).toCompletableFuture().join());
        assertEquals(ErrorCode.PEER_UNREACHABLE, ((BlazeException) e.getCause()).code());
        assertTrue(relay.describe().contains("no sockets"), relay.describe());
    }

    @Test
    void stoppingTheRelayClosesItsLinks() throws Exception {
        relay.register("db2", engine(server));
        Recorder client = new Recorder();
        relay.connect(URI.create("memory:db2"), client).toCompletableFuture().join();
        relay.deactivate();
        assertTrue(client.closed.await(5, TimeUnit.SECONDS));
        assertTrue(server.closed.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aSmallFrameToAnIdleEndIsHandedOverOnTheSendingThreadALargeOneByARelayThread() throws Exception {
        relay.register("db2", engine(server));
        Link link = relay.connect(URI.create("memory:db2"), new Recorder()).toCompletableFuture().join();
        // The relay thread that ran when the handler was set may still be finishing: a frame sent
        // meanwhile goes through it. Once it is done, the next small frame is handed over here.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int sent = 0;
        do {
            assertTrue(System.nanoTime() < deadline, "no small frame was handed over on the sending thread");
            link.send(ByteBuffer.wrap(new byte[] {1}));
            server.await(++sent);
        } while (server.threads.get(sent - 1) != Thread.currentThread());
        link.send(ByteBuffer.wrap(new byte[MemoryLink.INLINE_FRAME_BYTES + 1]));
        server.await(sent + 1);
        String largeOn = server.threads.get(sent).getName();
        assertTrue(largeOn.startsWith("blaze-relay-memory"), largeOn);
    }

    @Test
    void aSmallFrameNeverOvertakesALargeOneStillQueued() throws Exception {
        relay.register("db2", engine(server));
        Link link = relay.connect(URI.create("memory:db2"), new Recorder()).toCompletableFuture().join();
        for (int i = 0; i < 200; i++) {
            ByteBuffer frame = ByteBuffer.allocate(i % 2 == 0 ? MemoryLink.INLINE_FRAME_BYTES * 2 : 2);
            frame.putShort(0, (short) i);
            link.send(frame);
        }
        server.await(200);
        for (int i = 0; i < 200; i++) {
            assertEquals(i, server.frames.get(i).getShort(0) & 0xffff, "frame " + i + " in order");
        }
    }

    /**
     * The relay stops while a small frame is handed over on a sending thread and a large one waits
     * behind it for a relay thread. The large frame and the close must still reach the handler
     * (they once stayed queued for ever: the relay's threads were gone, so the receiving engine
     * never learnt the link had closed).
     */
    @Test
    void stoppingTheRelayDuringAHandOverStillDeliversWhatIsQueuedAndTheClose() throws Exception {
        relay.register("db2", engine(server));
        Link link = relay.connect(URI.create("memory:db2"), new Recorder()).toCompletableFuture().join();
        Thread sender = new Thread(() -> {
            try {
                int sent = 0;
                do { // until the relay thread that ran when the handler was set is done: see above
                    link.send(ByteBuffer.wrap(new byte[] {1}));
                    server.await(++sent);
                } while (server.threads.get(sent - 1) != Thread.currentThread());
                link.send(ByteBuffer.wrap(new byte[] {Recorder.HOLD})); // handed over here, and held
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-sender");
        sender.start();
        assertTrue(server.held.await(10, TimeUnit.SECONDS));
        assertEquals(sender, server.threads.get(server.threads.size() - 1), "the held frame is handed over on the sender");
        int before = server.frames.size();
        link.send(ByteBuffer.allocate(MemoryLink.INLINE_FRAME_BYTES + 1)); // behind it, for a relay thread
        relay.deactivate();
        server.release.countDown();
        assertTrue(server.closed.await(10, TimeUnit.SECONDS), "the receiving end was told the link closed");
        assertEquals(before + 1, server.frames.size(), "the large frame sent before the stop arrived first");
        sender.join(10_000);
        assertEquals(List.of(), server.violations);
    }

    /**
     * One end closes while the other keeps sending: the closing end's handler hears nothing after
     * {@code onClosed}. Frames the other end sent before it learnt of the close used to follow the
     * close (in about four runs in ten of this race), so an engine saw frames of a link it had ended.
     */
    @Test
    void nothingIsDeliveredAfterTheCloseWhileTheOtherEndKeepsSending() throws Exception {
        List<Recorder> receivers = new java.util.ArrayList<>();
        for (int run = 0; run < 200; run++) {
            Recorder receiver = new Recorder();
            receiver.keep = false; // the sender floods it
            receivers.add(receiver);
            relay.register("db2", engine(receiver));
            Link link = relay.connect(URI.create("memory:db2"), new Recorder()).toCompletableFuture().join();
            Thread sender = new Thread(() -> {
                while (link.isOpen()) {
                    if (link.isWritable()) { // as a sync engine does: the queue stays bounded on a slow machine
                        link.send(ByteBuffer.wrap(new byte[] {1}));
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "test-sender");
            sender.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (receiver.counted.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "no frame arrived");
                Thread.onSpinWait();
            }
            receiver.link.close(ErrorCode.TIMEOUT, "enough");
            sender.join(10_000);
            assertFalse(sender.isAlive(), "the sender saw its link close");
            assertTrue(receiver.closed.await(10, TimeUnit.SECONDS));
            link.send(ByteBuffer.wrap(new byte[] {2})); // after the close: dropped, and nothing more is run
            assertEquals(List.of(), receiver.violations, "run " + run);
        }
        relay.deactivate(); // waits for the relay's threads: a late delivery has happened by now
        for (int run = 0; run < receivers.size(); run++) {
            assertEquals(List.of(), receivers.get(run).violations, "run " + run);
        }
    }

    /** A link of a stopped relay would never deliver its large frames: connecting is refused instead. */
    @Test
    void aStoppedRelayRefusesToConnect() {
        relay.register("db2", engine(server));
        relay.deactivate();
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> relay.connect(URI.create("memory:db2"), new Recorder()).toCompletableFuture().join());
        assertEquals(ErrorCode.UNAVAILABLE, ((BlazeException) e.getCause()).code());
    }

    /**
     * A sender that filled the queue is told when it has drained, and then finds the link writable.
     * The receiver once compared the queue's size from before its handler ran: the sender, filling
     * the queue meanwhile, was told at once (still not writable) and never again.
     */
    @Test
    void aSenderThatFilledTheQueueIsToldOnceItHasDrained() throws Exception {
        relay.register("db2", engine(server));
        Recorder client = new Recorder();
        Link link = relay.connect(URI.create("memory:db2"), client).toCompletableFuture().join();
        link.send(held(MemoryLink.INLINE_FRAME_BYTES + 1)); // large: a relay thread delivers it, and is held
        assertTrue(server.held.await(10, TimeUnit.SECONDS));
        int megabytes = (int) (MemoryLink.HIGH_WATER_BYTES >> 20) + 1;
        for (int i = 0; i < megabytes; i++) {
            link.send(ByteBuffer.allocate(1 << 20));
        }
        assertFalse(link.isWritable());
        server.release.countDown();
        server.await(1 + megabytes);
        Await.until(() -> "the sender was told only " + client.writable + " (writable at each call) though the link is"
                + " writable again: " + link.isWritable(), 10, () -> client.writable.contains(true));
        assertEquals(List.of(), client.violations);
    }

    /**
     * The sender learns of writability on its own link's turn: never while its handler is busy with
     * a frame of that link (calls for one link are never concurrent, says {@link LinkHandler}).
     */
    @Test
    void writabilityIsReportedOnTheSendersOwnTurnNeverDuringItsFrame() throws Exception {
        relay.register("db2", engine(server));
        Recorder client = new Recorder();
        Link link = relay.connect(URI.create("memory:db2"), client).toCompletableFuture().join();
        link.send(held(MemoryLink.INLINE_FRAME_BYTES + 1));
        assertTrue(server.held.await(10, TimeUnit.SECONDS));
        int megabytes = (int) (MemoryLink.HIGH_WATER_BYTES >> 20) + 1;
        for (int i = 0; i < megabytes; i++) {
            link.send(ByteBuffer.allocate(1 << 20));
        }
        server.link.send(held(MemoryLink.INLINE_FRAME_BYTES + 1)); // the client's handler is held in it
        assertTrue(client.held.await(10, TimeUnit.SECONDS));
        server.release.countDown();
        server.await(1 + megabytes); // the queue has drained while the client's handler is busy
        client.release.countDown();
        Await.until("the sender to be told the link is writable again", 10, () -> !client.writable.isEmpty());
        assertEquals(List.of(), client.violations);
    }

    private static ByteBuffer held(int size) {
        ByteBuffer frame = ByteBuffer.allocate(size);
        frame.put(0, Recorder.HOLD);
        return frame;
    }

    /**
     * Records what a link delivers, and any call the {@link LinkHandler} contract forbids: one that
     * overlaps another call for the link, or comes after {@code onClosed}.
     */
    static class Recorder implements LinkHandler {
        /** A frame whose first byte is this is held in {@code onFrame} until {@link #release}. */
        static final byte HOLD = 99;
        final List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
        /** The thread each frame was delivered on. */
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        /** Whether to keep the frames and threads, or only count the frames (a flood of them). */
        volatile boolean keep = true;
        final java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        /** For each writability change, whether the link was writable when the handler was told. */
        final List<Boolean> writable = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final java.util.concurrent.atomic.AtomicBoolean inCall = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean closedCalled;
        volatile Throwable cause;
        volatile Link link;

        @Override
        public void onFrame(Link from, ByteBuffer frame) {
            enter("onFrame");
            try {
                counted.incrementAndGet();
                if (keep) {
                    threads.add(Thread.currentThread());
                    frames.add(frame);
                }
                if (frame.remaining() > 0 && frame.get(frame.position()) == HOLD) {
                    held.countDown();
                    awaitRelease();
                }
            } finally {
                inCall.set(false);
            }
        }

        @Override
        public void onWritabilityChanged(Link from) {
            enter("onWritabilityChanged");
            writable.add(from.isWritable());
            inCall.set(false);
        }

        @Override
        public void onClosed(Link from, Throwable why) {
            enter("onClosed");
            cause = why;
            closedCalled = true;
            closed.countDown();
            inCall.set(false);
        }

        private void enter(String call) {
            if (!inCall.compareAndSet(false, true)) {
                violations.add(call + " while another call for the link ran");
            }
            if (closedCalled) {
                violations.add(call + " after onClosed");
            }
        }

        private void awaitRelease() {
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    violations.add("the held frame was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void await(int count) throws InterruptedException {
            Await.until(() -> "only " + frames.size() + " of " + count + " frames arrived", 10, () -> frames.size() >= count);
        }
    }

    /** A SyncService whose accept hands inbound links to a recorder. */
    private static SyncService engine(Recorder recorder) {
        return new SyncService() {
            @Override
            public NodeId nodeId() {
                return new NodeId(0, 1);
            }

            @Override
            public SyncStatusDTO status() {
                return new SyncStatusDTO();
            }

            @Override
            public List<PeerStatusDTO> peers() {
                return List.of();
            }

            @Override
            public java.util.concurrent.CompletionStage<PeerStatusDTO> connect(URI address) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean disconnect(URI address) {
                return false;
            }

            @Override
            public java.util.concurrent.CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
                throw new UnsupportedOperationException();
            }

            @Override
            public LinkHandler accept(Link link) {
                recorder.link = link;
                return recorder;
            }
        };
    }
}
