package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch that does not follow on from what its receiver holds ("Gaps, rewinds and stale batches"
 * in {@code docs/protocol.md}), with the peer played by the test: links never lose or reorder
 * frames (a misnumbered frame ends the session), so only a faulty sender makes such a batch, and
 * the simulated relay's faults no longer reach this path.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchGapTest {
    private static final BlazeBinaryOperationsCodec CODEC = new BlazeBinaryOperationsCodec();
    /** Settings whose credit window is 2 OPS frames. */
    private static final EngineSettings WINDOW_OF_2 = new EngineSettings(1000, 1 << 20, 2, 5_000, 100, 30_000, 200);
    /** Settings whose credit window is 4 OPS frames: a commit takes up to 2 batches. */
    private static final EngineSettings WINDOW_OF_4 = new EngineSettings(1000, 1 << 20, 4, 5_000, 100, 30_000, 200);

    private final MemoryRelayEngines engines = new MemoryRelayEngines();
    /** Two writes of one origin, sequences 1 and 2, that the test sends or has sent. */
    private final ModelReplica writer = new ModelReplica("writer", NodeId.random(), System::currentTimeMillis);

    @AfterEach
    void stop() {
        engines.close();
    }

    @Test
    void aBatchWithAGapIsNotAppliedButAcknowledgedWithARewindAndItsEpochIsIgnored() throws Exception {
        List<Operation> writes = twoWrites();
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        SyncEngine ea = engines.engine(a, EngineSettings.DEFAULTS);
        PeerLink peer = new PeerLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello(writer.nodeId()));

        // a holds nothing of the writer's: its second write alone has a gap before it
        session.onFrame(peer, ops(0, 1, writes.subList(1, 2)));
        Await.until("a acknowledged batch 1", 20, () -> peer.acknowledged() == 1);
        assertEquals(new Message.State(VersionVector.EMPTY, false, true), peer.last(Message.State.class),
                "a asks for a rewind from what it holds");
        assertEquals(0, a.logSize(), "nothing of the batch is applied");

        // sent before the peer saw the rewind: only acknowledged, though it would follow on
        session.onFrame(peer, ops(0, 2, writes.subList(0, 1)));
        Await.until("a acknowledged batch 2", 20, () -> peer.acknowledged() == 2);
        assertEquals(0, a.logSize(), "a batch of the rejected epoch is not applied");

        // the peer rewound: its next epoch is applied
        session.onFrame(peer, ops(1, 3, writes));
        Await.until("a applied the rewound epoch", 20, () -> a.logSize() == 2);
        Await.until("a acknowledged batch 3", 20, () -> peer.acknowledged() == 3);
        assertFalse(peer.closedWith.isDone(), "the session stays open");
    }

    @Test
    void anAckThatDoesNotCoverItsBatchMakesTheSenderResendFromTheAcknowledgedState() throws Exception {
        ModelReplica a = writer;
        List<Operation> writes = twoWrites();
        SyncEngine ea = engines.engine(a, EngineSettings.DEFAULTS);
        PeerLink peer = new PeerLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello(NodeId.random()));
        session.onFrame(peer, MessageCodec.encode(new Message.State(VersionVector.EMPTY, false, false)));
        Await.until("a sent batch 1", 20, () -> peer.batches.size() == 1);

        // the peer rejected it, and its rewinding STATE is lost: its ACK alone shows a the rejection
        session.onFrame(peer, MessageCodec.encode(new Message.Ack(1, VersionVector.EMPTY)));
        Await.until("a sent batch 2", 20, () -> peer.batches.size() == 2);
        Message.Ops resent = peer.batches.get(1);
        assertEquals(1, resent.epoch(), "a new epoch");
        assertEquals(2, resent.seq(), "numbered on from batch 1");
        assertEquals(writes, CODEC.decode(resent.payload()), "everything again from what the peer acknowledged");
        assertFalse(peer.closedWith.isDone(), "the session stays open");
    }

    /**
     * A sender that resends after a rewind without raising its epoch: batches of the rejected
     * epoch are only acknowledged, so its operations would never be applied, its ACKs would keep
     * showing so, and the session would stay open with nothing reported. Only a batch numbered
     * within one window of the rewind's ACK can have been sent before the sender saw the rewind;
     * a later one of that epoch is a protocol error.
     */
    @Test
    void aBatchOfTheRejectedEpochSentAfterTheRewindWasSeenEndsTheSessionWithProtocolError() throws Exception {
        List<Operation> writes = twoWrites();
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        SyncEngine ea = engines.engine(a, WINDOW_OF_2);
        PeerLink peer = new PeerLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello(writer.nodeId()));
        session.onFrame(peer, ops(0, 1, writes.subList(1, 2))); // a gap: a rewinds, with the ACK of batch 1
        Await.until("a acknowledged batch 1", 20, () -> peer.acknowledged() == 1);
        assertEquals(new Message.State(VersionVector.EMPTY, false, true), peer.last(Message.State.class));

        // batches 2 and 3 may have left before the rewind arrived (a's window is 2): only acknowledged
        session.onFrame(peer, ops(0, 2, writes.subList(0, 1)));
        session.onFrame(peer, ops(0, 3, writes.subList(0, 1)));
        Await.until("a acknowledged batch 3", 20, () -> peer.acknowledged() == 3);
        assertFalse(peer.closedWith.isDone(), "batches in flight when the rewind was sent are no fault");

        // batch 4 needed the credit of ACK 2 or later, which followed the rewind: still epoch 0
        session.onFrame(peer, ops(0, 4, writes));
        assertEquals(ErrorCode.PROTOCOL_ERROR, peer.closedWith.get(20, TimeUnit.SECONDS),
                "a sender that ignored the rewind is told so, not acknowledged for ever");
        assertEquals(3, peer.acknowledged(), "batch 4 is not acknowledged");
        assertEquals(0, a.logSize(), "nothing of the stale epoch is applied");
    }

    /**
     * Batches taken into the same commit as the one with a gap were sent before the rewind that
     * commit ends with, whatever their numbers: they are only acknowledged, never a protocol error.
     * Here the gap comes at batch 5 of a window of 4, and batch 6 rides in its commit.
     */
    @Test
    void aBatchOfTheRejectedEpochInTheSameCommitAsTheGapIsOnlyAcknowledged() throws Exception {
        List<Operation> writes = twoWrites();
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        SyncEngine ea = engines.engine(a, WINDOW_OF_4);
        PeerLink peer = new PeerLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello(writer.nodeId()));
        for (long seq = 1; seq <= 4; seq++) {
            session.onFrame(peer, ops(0, seq, List.of()));
        }
        Await.until("a acknowledged batch 4", 20, () -> peer.acknowledged() == 4);

        // hold the engine's thread so that both batches are queued, then taken into one commit
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ea.executor().execute(() -> {
            holding.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(holding.await(20, TimeUnit.SECONDS), "the engine's thread is held");
        session.onFrame(peer, ops(0, 5, writes.subList(1, 2))); // a gap
        session.onFrame(peer, ops(0, 6, writes.subList(0, 1))); // sent before the rewind, with batch 5
        release.countDown();

        Await.until("a acknowledged batch 6", 20, () -> peer.acknowledged() == 6 || peer.closedWith.isDone());
        assertFalse(peer.closedWith.isDone(), "closed with " + peer.closedWith.getNow(null));
        assertEquals(new Message.State(VersionVector.EMPTY, false, true), peer.last(Message.State.class));
        assertEquals(0, a.logSize(), "nothing of the rejected epoch is applied");

        session.onFrame(peer, ops(1, 7, writes)); // the rewound epoch
        Await.until("a applied the rewound epoch", 20, () -> a.logSize() == 2);
        assertFalse(peer.closedWith.isDone());
    }

    /**
     * A sender's epoch only grows within a session. One going back to an epoch already rejected
     * would have its batch dropped without a word (only acknowledged); going back at all is refused
     * on arrival, as is an epoch of 2^63 or more (a negative number here).
     */
    @Test
    void anEpochLowerThanAnEarlierBatchsEndsTheSessionWithProtocolErrorOnArrival() throws Exception {
        List<Operation> writes = twoWrites();
        ModelReplica a = new ModelReplica("a", NodeId.random(), System::currentTimeMillis);
        SyncEngine ea = engines.engine(a, EngineSettings.DEFAULTS);
        PeerLink peer = new PeerLink();
        LinkHandler session = ea.accept(peer);
        session.onFrame(peer, hello(writer.nodeId()));
        session.onFrame(peer, ops(0, 1, writes.subList(1, 2))); // a gap: epoch 0 is rejected
        Await.until("a acknowledged batch 1", 20, () -> peer.acknowledged() == 1);
        session.onFrame(peer, ops(1, 2, writes.subList(0, 1))); // the rewound epoch: applied
        Await.until("a applied batch 2", 20, () -> a.logSize() == 1);

        session.onFrame(peer, ops(0, 3, writes.subList(1, 2))); // back to the rejected epoch
        assertEquals(ErrorCode.PROTOCOL_ERROR, peer.closedWith.getNow(null), "refused on arrival, on the relay's thread");
        Await.until("the session ended", 20, () -> ea.sessions().isEmpty());
        assertEquals(2, peer.acknowledged(), "batch 3 is neither applied nor acknowledged");
        assertEquals(1, a.logSize());

        PeerLink other = new PeerLink();
        LinkHandler second = ea.accept(other);
        second.onFrame(other, hello(writer.nodeId()));
        second.onFrame(other, ops(-1, 1, writes)); // epoch 2^64 - 1 on the wire
        assertEquals(ErrorCode.PROTOCOL_ERROR, other.closedWith.getNow(null), "an epoch of 2^63 or more");
        assertEquals(1, a.logSize());
    }

    private List<Operation> twoWrites() {
        writer.put("c", "1", SyncEngineTest.doc("v", "1"));
        writer.put("c", "2", SyncEngineTest.doc("v", "2"));
        return writer.log();
    }

    private static ByteBuffer hello(NodeId node) {
        return MessageCodec.encode(new Message.Hello(MessageCodec.PROTOCOL_VERSION, node, 0, 16, 1 << 20));
    }

    private static ByteBuffer ops(long epoch, long seq, List<Operation> batch) {
        return MessageCodec.encode(new Message.Ops(epoch, seq, CODEC.encode(batch)));
    }

    /** A link whose far end is the test: it keeps what the engine sends. */
    private static final class PeerLink extends TestPeerLink {
        final List<Message> sent = new CopyOnWriteArrayList<>();
        final List<Message.Ops> batches = new CopyOnWriteArrayList<>();

        PeerLink() {
            super("test:peer");
        }

        /** @return the highest batch number the engine acknowledged, 0 before any */
        long acknowledged() {
            return sent.stream().filter(m -> m instanceof Message.Ack).mapToLong(m -> ((Message.Ack) m).seq()).max().orElse(0);
        }

        /** @return the last message of a type the engine sent */
        <M extends Message> M last(Class<M> type) {
            M found = null;
            for (Message m : sent) {
                if (type.isInstance(m)) {
                    found = type.cast(m);
                }
            }
            return found;
        }

        @Override
        public void send(ByteBuffer frame) {
            Message m = MessageCodec.decode(frame);
            sent.add(m);
            if (m instanceof Message.Ops o) {
                batches.add(o);
            }
        }
    }
}
