package org.blazedb.sync.impl;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.dto.PeerStatusDTO;

/**
 * One sync session over one {@link Link}: the protocol state machine of {@code docs/protocol.md}.
 * Both sides run the same code: each sends HELLO, then STATE, then streams OPS of what the other
 * lacks under the other's credit window, and ACKs what it applied with its durable vector.
 *
 * <p>Frames arrive on the relay's thread and are handed to the engine's serial executor; all
 * state below is touched only there (by whichever thread runs the engine's tasks, one at a time),
 * except the arrival bookkeeping marked as such. Some frames are taken in by the delivering thread
 * itself while the engine is idle, as {@link DeliveryThreadRule} allows.
 *
 * <p>Scheduling is fair across the sessions sharing one engine thread: a session sends at most
 * {@link #BATCHES_PER_TURN} batches and applies at most half its window of received batches per
 * task, then queues its next turn behind the other sessions' work, so a peer with much to receive
 * cannot hold the thread while another waits for its STATE or ACK. Liveness is the relay's job
 * (see {@link #tick}), never judged by how long the engines take.
 */
final class Session implements LinkHandler {
    private static final Logger LOG = Logger.getLogger(Session.class.getName());

    /** Batches one turn of {@link #pump()} sends before yielding the engine thread to other sessions. */
    static final int BATCHES_PER_TURN = 2;
    /**
     * Frames other than OPS that may wait in the engine's queue for one session: far above what a
     * peer following the protocol sends (an ACK per batch of ours, a STATE per round, a PING per
     * interval); a peer sending more is flooding, and its link is closed rather than queued.
     */
    static final int MAX_QUEUED_CONTROL_FRAMES = 4096;
    /**
     * Bytes of frames other than OPS that may wait in the engine's queue for one session. The
     * count of frames alone does not bound memory: a STATE or an ACK may carry a vector of up to
     * 65,536 entries (over a megabyte), while a peer following the protocol has a STATE or two
     * and small ACKs and PINGs waiting at a time.
     */
    static final int MAX_QUEUED_CONTROL_BYTES = 16 << 20;

    private final SyncEngine engine;
    private final PeerConnection connection;
    /** Frames handed to the engine and not yet processed (relay thread increments, engine decrements); for diagnostics. */
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicInteger queuedControlFrames = new AtomicInteger();
    private final AtomicLong queuedControlBytes = new AtomicLong();
    /** The highest OPS number this side acknowledged; with the window it bounds what may arrive. */
    private volatile long ackedSeq;
    /**
     * Arrival bookkeeping: the number of the last OPS frame taken in. The link delivers one frame
     * at a time, but not always on the same thread (the in-memory relay hands a frame over on the
     * sending thread or on one of its own): an atomic publishes the number from one delivery to
     * the next whatever the relay's own hand-off guarantees.
     */
    private final AtomicLong lastArrivedSeq = new AtomicLong();
    /**
     * Arrival bookkeeping: the epoch of the last OPS frame taken in (a sender's epoch never goes
     * back within a session). Written only after {@link #lastArrivedSeq}'s update succeeded, so
     * one delivery at a time writes it; volatile for the same reason that one is atomic.
     */
    private volatile long lastArrivedEpoch;
    /** Arrival bookkeeping: a frame was refused and the link is closing; nothing more is taken in. */
    private volatile boolean refusedOnArrival;
    private boolean pumpScheduled;
    /** Volatile: an engine stopped without its thread closes the link from another ({@link SyncEngine}'s abandon). */
    private volatile Link link;
    private NodeId peer;
    /** Volatile: the change feed's thread reads the peer's vector through it ({@link #peerHolds}). */
    private volatile PeerStats stats;
    private int peerWindow;
    private int peerMaxBatchBytes;
    private OutboundStream stream;
    private long epoch;
    private final CreditWindow credits = new CreditWindow();
    private long rejectedEpoch = -1;
    /** The number the ACK sent with the last rewinding STATE acknowledged (see {@link #checkNotStale}). */
    private long rewindAckedSeq;
    private long lastSentAt;
    private boolean roundDone;
    private boolean helloSent;
    private boolean closed;
    private final List<CompletableFuture<PeerStatusDTO>> roundWaiters = new ArrayList<>();
    /** OPS frames received and not yet applied: applied together by one task. */
    private final List<ReceivedBatch> received = new ArrayList<>();

    /** A received OPS frame's header and decoded operations. */
    private record ReceivedBatch(long epoch, long seq, List<Operation> ops) { }
    private boolean applyScheduled;

    /** @param engine its engine @param connection the outbound connection it serves, null for an inbound link */
    Session(SyncEngine engine, PeerConnection connection) {
        this.engine = engine;
        this.connection = connection;
    }

    // ---- LinkHandler: called on the relay's threads, handed to the engine thread ----

    /**
     * Decodes on the relay's thread (an OPS payload too: decompressing and decoding a batch then
     * overlaps the engine thread's commit of the previous one), and hands the result to the engine.
     */
    @Override
    public void onFrame(Link from, ByteBuffer frame) {
        int bytes = frame.remaining();
        Decoded decoded;
        try {
            Message message = MessageCodec.decode(frame);
            List<Operation> ops = message instanceof Message.Ops o ? engine.codec().decode(o.payload()) : null;
            decoded = new Decoded(message, ops, null, bytes);
        } catch (BlazeException e) {
            decoded = new Decoded(null, null, e, bytes);
        } catch (RuntimeException e) {
            decoded = new Decoded(null, null, new BlazeException(ErrorCode.MALFORMED_DATA, "Undecodable frame: " + e, e), bytes);
        }
        if (refusedOnArrival) {
            return; // frames still delivered while the refused link closes: nothing of them is queued
        }
        BlazeException refusal = refusal(decoded.message(), bytes);
        if (refusal != null) {
            // Refused on arrival, before anything is queued: the engine's memory per link stays
            // bounded. The link closes at once; the session ends (and the peer's status shows
            // why) once the engine gets to it.
            refusedOnArrival = true;
            from.close(refusal.code(), refusal.getMessage());
            engine.executor().execute(() -> fail(refusal.code(), refusal.getMessage()));
            return;
        }
        queuedFrames.incrementAndGet();
        Decoded d = decoded;
        EngineExecutor executor = engine.executor();
        if (executor.callerRunsEngineWork()
                || DeliveryThreadRule.mayTakeIn(from.deliveryThread(), d.message())) {
            // Taken in right here if this engine is idle, without waking its thread: on a thread
            // already running engine work (the in-memory relay delivers a small frame on the
            // sending engine's thread), or on a delivering thread whose link says it may run this
            // frame's work (DeliveryThreadRule: a network event loop takes in an ACK or a PING, never
            // a batch, whose commit would block the loop). A busy engine gets it queued.
            Thread caller = Thread.currentThread();
            executor.executeHereIfIdle(() -> receive(from, d, Thread.currentThread() == caller));
        } else {
            executor.execute(() -> receive(from, d, false));
        }
    }

    /**
     * Relay thread: why a frame may not be queued, or null. OPS frames are numbered 1, 2, 3, …
     * within a session, so any other number (a repeat, one out of order, one skipping ahead) is a
     * broken or hostile peer: the link is ordered and reliable, and a repeated number would
     * otherwise let a peer queue decoded batches without bound, the window being checked against
     * the number. Their epochs never go back: one that did could return to an epoch this side
     * rejected, whose batches are only acknowledged, and so be dropped without a word. A sender
     * following the protocol never has more OPS frames unacknowledged than this side's window (the
     * ACKs it has not seen yet only make it send fewer), so the decoded batches queued per link
     * are bounded by the window. Other frames are bounded in number and in bytes.
     *
     * @param bytes the frame's size
     */
    private BlazeException refusal(Message message, int bytes) {
        if (message instanceof Message.Ops o) {
            long due = lastArrivedSeq.get() + 1;
            if (o.seq() != due || !lastArrivedSeq.compareAndSet(due - 1, due)) {
                return new BlazeException(ErrorCode.PROTOCOL_ERROR, "OPS numbered " + o.seq() + " where " + due
                        + " was due: a session's batches are numbered 1, 2, 3, ... in the order sent");
            }
            if (o.epoch() < lastArrivedEpoch) {
                // unsigned on the wire: an epoch of 2^63 or more reads as negative, and is refused too
                return new BlazeException(ErrorCode.PROTOCOL_ERROR, "OPS " + o.seq() + " of epoch "
                        + Long.toUnsignedString(o.epoch()) + " after a batch of epoch " + lastArrivedEpoch
                        + ": a sender's epoch only grows within a session");
            }
            lastArrivedEpoch = o.epoch();
            int window = engine.settings().window();
            if (o.seq() > ackedSeq + window) {
                return new BlazeException(ErrorCode.LIMIT_EXCEEDED, "Batch " + o.seq() + " exceeds the credit window: "
                        + ackedSeq + " acknowledged, window " + window);
            }
        } else if (message != null) {
            // both counted before either is checked: receive() takes both back
            int frames = queuedControlFrames.incrementAndGet();
            long queuedBytes = queuedControlBytes.addAndGet(bytes);
            if (frames > MAX_QUEUED_CONTROL_FRAMES) {
                return new BlazeException(ErrorCode.LIMIT_EXCEEDED, "More than " + MAX_QUEUED_CONTROL_FRAMES
                        + " frames queued unprocessed; the peer is flooding");
            }
            if (queuedBytes > MAX_QUEUED_CONTROL_BYTES) {
                return new BlazeException(ErrorCode.LIMIT_EXCEEDED, "More than " + MAX_QUEUED_CONTROL_BYTES
                        + " bytes of frames other than OPS queued unprocessed; the peer is flooding");
            }
        }
        return null;
    }

    /** A frame as decoded on the relay thread: the message (and an OPS frame's operations), or why not. */
    private record Decoded(Message message, List<Operation> ops, BlazeException failure, int bytes) { }

    @Override
    public void onWritabilityChanged(Link from) {
        engine.executor().execute(this::pump);
    }

    @Override
    public void onClosed(Link from, Throwable cause) {
        engine.executor().execute(() -> {
            if (cause != null && !closed && stats != null) {
                stats.error("link closed: " + cause.getMessage());
            }
            end(null, cause == null ? "closed by peer" : cause.getMessage());
        });
    }

    // ---- engine thread ----

    /** The link is open: introduce ourselves (once: the peer's HELLO may arrive first). */
    void start(Link opened) {
        if (helloSent) {
            return;
        }
        helloSent = true;
        this.link = opened;
        EngineSettings s = engine.settings();
        send(new Message.Hello(MessageCodec.PROTOCOL_VERSION, engine.nodeId(), MessageCodec.CAP_LZ4, s.window(), maxBatchBytesAccepted()));
    }

    NodeId peer() {
        return peer;
    }

    /** @return (any thread) what the peer is known to hold, null before its HELLO or any vector */
    VersionVector peerHolds() {
        PeerStats s = stats;
        return s == null ? null : s.peerHas;
    }

    /** @return frames of this session waiting in the engine's queue (any thread) */
    int queuedFrames() {
        return queuedFrames.get();
    }

    Link link() {
        return link;
    }

    PeerConnection connection() {
        return connection;
    }

    boolean isClosed() {
        return closed;
    }

    private int maxBatchBytesAccepted() {
        return MessageCodec.MAX_FRAME_BYTES - 64;
    }

    /** @param standIn whether a caller runs this for the idle engine (see {@link EngineExecutor#executeHereIfIdle}) */
    private void receive(Link from, Decoded decoded, boolean standIn) {
        queuedFrames.decrementAndGet();
        if (decoded.message() != null && !(decoded.message() instanceof Message.Ops)) {
            queuedControlFrames.decrementAndGet();
            queuedControlBytes.addAndGet(-decoded.bytes());
        }
        if (closed) {
            return;
        }
        if (!helloSent) {
            start(from); // the peer's first frame overtook our own start: HELLO always goes first
        }
        if (decoded.failure() != null) {
            fail(decoded.failure().code(), decoded.failure().getMessage());
            return;
        }
        guarded(() -> dispatch(decoded, standIn));
    }

    /** Runs protocol work; a failure ends this session with its code, never the engine. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (BlazeException e) {
            fail(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // an unexpected failure (a bug or a store fault): end this session, keep the engine
            LOG.log(Level.WARNING, "Sync session failed unexpectedly", e);
            fail(ErrorCode.UNAVAILABLE, "Internal failure: " + e);
        }
    }

    private void dispatch(Decoded decoded, boolean standIn) {
        Message message = decoded.message();
        if (peer == null && !(message instanceof Message.Hello) && !(message instanceof Message.Error)
                && !(message instanceof Message.Bye)) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, message.type() + " before HELLO");
        }
        if (message instanceof Message.Hello h) {
            onHello(h);
        } else if (message instanceof Message.State s) {
            onState(s, standIn);
        } else if (message instanceof Message.Ops o) {
            onOps(o, decoded.ops(), standIn);
        } else if (message instanceof Message.Ack a) {
            onAck(a, standIn);
        } else if (message instanceof Message.Ping p) {
            send(new Message.Pong(p.nonce()));
        } else if (message instanceof Message.Error e) {
            if (stats != null) {
                stats.error("peer reported E" + e.code().number() + " " + e.code() + ": " + e.message());
            }
            end(e.code(), "peer reported an error");
        } else if (message instanceof Message.Bye) {
            end(null, "peer said goodbye");
        }
        // PONG: nothing to do; liveness is the relay's job
    }

    private void onHello(Message.Hello h) {
        if (peer != null) {
            if (peer.equals(h.nodeId())) {
                return; // a duplicated HELLO changes nothing
            }
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Second HELLO from another node in one session");
        }
        if (h.protocolVersion() != MessageCodec.PROTOCOL_VERSION) {
            fail(ErrorCode.UNSUPPORTED_VERSION, "This node speaks sync protocol " + MessageCodec.PROTOCOL_VERSION
                    + ", the peer " + h.protocolVersion());
            return;
        }
        if (h.nodeId().equals(engine.nodeId())) {
            fail(ErrorCode.PROTOCOL_ERROR, "Connected to itself (node " + h.nodeId() + ")");
            return;
        }
        if (h.window() < 1 || h.maxBatchBytes() < 1024) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "HELLO announces window " + h.window()
                    + " and max batch " + h.maxBatchBytes() + " bytes");
        }
        peer = h.nodeId();
        peerWindow = Math.min(h.window(), 1024);
        peerMaxBatchBytes = h.maxBatchBytes();
        stats = engine.sessionOpened(this);
        send(new Message.State(engine.replica().version(), false, false));
    }

    private void onState(Message.State s, boolean standIn) {
        stats.peerHas = Vectors.merge(stats.peerHas, s.version());
        if (stream == null) {
            stream = new OutboundStream(engine.replica(), engine.codec(), s.version());
        } else if (s.rewind()) {
            epoch++;
            stream.rewind(s.version());
        } else {
            stream.peerHolds(s.version());
        }
        roundDone = false;
        if (s.replyWanted()) {
            send(new Message.State(engine.replica().version(), false, false));
        }
        pumpOrHandOver(standIn);
        checkRound();
    }

    /**
     * Queues the batch; one task applies every batch queued by then in a single commit. While a
     * commit (and its fsync) runs, the batches the window lets through pile up behind it and share
     * the next commit, so the number of fsyncs does not grow with the number of batches.
     *
     * <p>A batch taken in by a caller standing in for the idle engine, with nothing else received,
     * is applied at once by that caller: there is nothing to share the commit with, and queuing it
     * would only wake the engine's thread for it (the live path: the sending engine's thread
     * applies a small batch for the receiving one).
     */
    private void onOps(Message.Ops o, List<Operation> ops, boolean standIn) {
        if (refusesOperations()) {
            // Refused before anything is queued: nothing of the batch reaches the store.
            fail(ErrorCode.PERMISSION_DENIED, "Peer " + peer + " has read-only access: it may receive operations but"
                    + " not send them; its batch was refused and nothing of it written");
            return;
        }
        received.add(new ReceivedBatch(o.epoch(), o.seq(), ops));
        if (standIn && !applyScheduled && received.size() == 1) {
            applyReceived();
        } else if (!applyScheduled) {
            applyScheduled = true;
            engine.executor().execute(() -> guarded(this::applyReceived));
        }
    }

    private void applyReceived() {
        applyScheduled = false;
        if (closed || received.isEmpty()) {
            return;
        }
        // Half the window per commit: the ACK returns that much credit while the other half is
        // applied, and the engine thread turns to other sessions between commits.
        int take = Math.min(received.size(), Math.max(1, engine.settings().window() / 2));
        ReceivedBatch[] frames = new ReceivedBatch[take];
        for (int i = 0; i < take; i++) {
            frames[i] = received.get(i);
        }
        if (take == received.size()) {
            received.clear(); // the live path: one frame, no view of the list to make
        } else {
            received.subList(0, take).clear();
            applyScheduled = true;
            engine.executor().execute(() -> guarded(this::applyReceived));
        }
        VersionVector version = engine.replica().version();
        VersionVector expected = version;
        // The batches to apply: the one batch itself when there is one (the live path), a list of
        // them all otherwise.
        List<Operation> ops = List.of();
        boolean opsCopied = false;
        long lastSeq = 0;
        boolean rewind = false;
        for (ReceivedBatch f : frames) {
            lastSeq = f.seq();
            if (f.epoch() <= rejectedEpoch) {
                checkNotStale(f);
                continue; // sent before the peer saw our rewind: it resends from our state; only the credit returns
            }
            List<Operation> batch = f.ops();
            VersionVector extended = Vectors.extend(expected, batch);
            if (extended == null) {
                rejectedEpoch = f.epoch();
                // The rewind goes out with this commit's ACK, of the last batch taken: the batches
                // behind this one in the take left before it and are only acknowledged, not stale.
                rewindAckedSeq = frames[frames.length - 1].seq();
                rewind = true;
                continue;
            }
            expected = extended;
            if (ops.isEmpty()) {
                ops = batch;
            } else {
                if (!opsCopied) {
                    ops = new ArrayList<>(ops); // never added to a received batch's own list
                    opsCopied = true;
                }
                ops.addAll(batch);
            }
        }
        if (!ops.isEmpty()) {
            ConflictResolver resolver = engine.resolver();
            if (resolver == null) {
                fail(ErrorCode.UNAVAILABLE, "No conflict resolver is running on " + engine.nodeId() + "; try again later");
                return;
            }
            VersionVector lastOfOps = Vectors.lastOf(ops);
            // The peer holds what it sent, applied here or not; noted before the commit, so that
            // the change feed, woken by the commit, sees these need not be offered back to it.
            stats.peerHas = Vectors.merge(stats.peerHas, lastOfOps);
            ApplyResult result = engine.replica().apply(peer, ops, resolver);
            stats.received.addAndGet(result.applied());
            stats.duplicates.addAndGet(result.duplicates());
            if (stream != null) {
                stream.peerSent(lastOfOps);
            }
            engine.conflictsResolved(stats, result.conflicts());
            version = result.version();
        }
        if (rewind) {
            send(new Message.State(version, false, true));
            rewindAckedSeq = lastSeq; // the ACK below follows the rewind on the link
        }
        ackedSeq = Math.max(ackedSeq, lastSeq);
        send(new Message.Ack(lastSeq, version));
        checkRound();
    }

    /**
     * A batch of an epoch this side rejected may only have left before its sender saw the rewind.
     * The rewinding STATE went out just before the ACK of {@link #rewindAckedSeq}, and a sender
     * keeps at most this side's window unacknowledged, so a batch numbered beyond that ACK plus
     * the window needed the credit of a later ACK, which its sender can only have read after the
     * rewind: it ignored the rewind. Acknowledging such batches for ever would leave its
     * operations unapplied and the session open with nothing reported.
     */
    private void checkNotStale(ReceivedBatch f) {
        if (f.seq() > rewindAckedSeq + engine.settings().window()) {
            throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "OPS " + f.seq() + " is of epoch " + f.epoch()
                    + ", rejected with the rewind acknowledged in ACK " + rewindAckedSeq
                    + "; a batch sent after the rewind was seen must be of a later epoch");
        }
    }

    private void onAck(Message.Ack a, boolean standIn) {
        boolean notApplied = credits.acknowledge(a.seq(), a.version(), epoch);
        if (notApplied) {
            // the peer acknowledged a batch of this epoch without holding it: it rejected it and
            // its rewinding STATE was lost or is late. Restart from what it holds.
            epoch++;
            stream.rewind(a.version());
        }
        stats.peerHas = Vectors.merge(stats.peerHas, a.version());
        engine.peerDurable(peer, a.version());
        pumpOrHandOver(standIn);
        checkRound();
    }

    /**
     * Sends what the credit allows, unless this runs on a caller standing in for the engine and
     * there is more to send than the live path's next batch (a scan of the log, a backlog): that
     * work is the engine thread's, not the caller's (in bulk, the caller is the receiving engine's
     * thread, whose commits set the pace). The live path's pump, which finds nothing or one small
     * batch, runs here.
     */
    private void pumpOrHandOver(boolean standIn) {
        if (standIn && stream != null && !stream.isDrained()) {
            schedulePumpTurn();
        } else {
            pump();
        }
    }

    /** Queues a turn of {@link #pump()} for the engine's own thread, unless one is queued. */
    private void schedulePumpTurn() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            engine.executor().executeOnEngineThread(() -> {
                pumpScheduled = false;
                guarded(() -> {
                    pump();
                    checkRound();
                });
            });
        }
    }

    /** On an inbound link of a read-only peer: operations it sends are refused. */
    private boolean refusesOperations() {
        return connection == null && link != null && link.readOnly();
    }

    /** On a link this node opened with read-only access: it receives and never sends operations. */
    private boolean receivesOnly() {
        return connection != null && link != null && link.readOnly();
    }

    /**
     * Sends batches while the peer's window and the link allow, {@link #BATCHES_PER_TURN} at a
     * time: with more to send, the next turn is queued behind the work already waiting.
     */
    void pump() {
        if (closed || stream == null || link == null || receivesOnly()) {
            return;
        }
        EngineSettings s = engine.settings();
        int maxBytes = Math.min(s.batchMaxBytes(), peerMaxBatchBytes);
        for (int sent = 0; credits.hasCredit(peerWindow) && link.isWritable(); sent++) {
            if (sent == BATCHES_PER_TURN) {
                schedulePumpTurn();
                return;
            }
            OutgoingBatch batch = stream.nextBatch(s.batchMaxOps(), maxBytes);
            if (batch.isEmpty()) {
                break;
            }
            long seq = credits.send(epoch, batch.lastOf());
            send(new Message.Ops(epoch, seq, engine.codec().encode(batch)));
            stats.sent.addAndGet(batch.count());
        }
    }

    /** @param ops operations the store just committed */
    void offerLive(List<Operation> ops) {
        if (closed || stream == null) {
            return;
        }
        stream.offerLive(ops);
        roundDone = false;
        pump();
    }

    /** Asks the peer for its state and completes {@code waiter} when the round that follows is done. */
    void syncNow(CompletableFuture<PeerStatusDTO> waiter) {
        roundWaiters.add(waiter);
        roundDone = false;
        send(new Message.State(engine.replica().version(), true, false));
        pump();
    }

    /** A round is done when everything missing was sent and acknowledged and nothing is missing here. */
    private void checkRound() {
        if (roundDone || stream == null || !(stream.isDrained() || receivesOnly()) || credits.unacknowledged() != 0) {
            return;
        }
        VersionVector peerHas = stats.peerHas;
        // A read-only peer's own operations never come here: the round cannot wait for them.
        if (peerHas != null && !refusesOperations() && !engine.replica().version().dominates(peerHas)) {
            return;
        }
        roundDone = true;
        stats.lastSyncMillis = engine.executor().now();
        engine.roundCompleted(this);
        if (roundWaiters.isEmpty()) {
            // On the live path every acknowledged write completes a round: the status (a read of
            // the persisted peer vector, two counts) is only worth computing for someone waiting.
            return;
        }
        PeerStatusDTO status = engine.peerStatus(peer);
        List<CompletableFuture<PeerStatusDTO>> waiters = new ArrayList<>(roundWaiters);
        roundWaiters.clear();
        waiters.forEach(w -> w.complete(status));
    }

    /**
     * Periodic: a PING after the ping interval without sending anything. Nothing here closes a
     * session: liveness is the relay's job (the {@link Link} contract is an ordered, reliable
     * connection; one that breaks or goes dead is closed by its relay, the TCP link after its idle
     * timeout without a byte). A peer is never judged on how long it takes: one applying batches
     * slowly under load is alive, and its credit window bounds what waits for it.
     */
    void tick(long now) {
        if (closed || link == null) {
            return;
        }
        if (now - lastSentAt >= engine.settings().pingIntervalMillis()) {
            guarded(() -> send(new Message.Ping(now)));
        }
    }

    /** Ends the session normally, telling the peer. */
    void bye(String reason) {
        if (!closed && link != null) {
            sendLast(new Message.Bye());
        }
        end(null, reason);
    }

    /**
     * Sends a session's last frame (ERROR, BYE): a link that fails to take it (one whose event loop
     * has gone, say) must not keep the session from ending, or it would stay listed as connected,
     * its waiters never told, and the engine's stop would wait for it in vain.
     */
    private void sendLast(Message message) {
        try {
            send(message);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The link did not take the session's last frame", e);
        }
    }

    private void fail(ErrorCode code, String message) {
        if (closed) {
            return;
        }
        LOG.log(Level.WARNING, "Sync session with {0} failed: E{1} {2}: {3}",
                new Object[] {peer == null ? (link == null ? "?" : link.remoteAddress()) : peer, code.number(), code, message});
        if (stats != null) {
            stats.error("E" + code.number() + " " + code + ": " + message);
        } else if (connection != null) {
            connection.error("E" + code.number() + " " + code + ": " + message);
        }
        if (link != null) {
            sendLast(new Message.Error(code, message));
        }
        end(code, message);
    }

    private void end(ErrorCode code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            stream.close();
        }
        if (link != null) {
            try {
                link.close(code, reason);
            } catch (RuntimeException e) {
                // the session ends all the same: its waiters are told and the engine forgets it
                LOG.log(Level.WARNING, "Closing the link to " + link.remoteAddress() + " failed", e);
            }
        }
        BlazeException why = new BlazeException(code == null ? ErrorCode.PEER_UNREACHABLE : code,
                "Sync session ended before the round completed: " + reason);
        List<CompletableFuture<PeerStatusDTO>> waiters = new ArrayList<>(roundWaiters);
        roundWaiters.clear();
        waiters.forEach(w -> w.completeExceptionally(why));
        engine.sessionClosed(this, stats);
    }

    private void send(Message message) {
        if (link == null || !link.isOpen()) {
            return;
        }
        lastSentAt = engine.executor().now();
        link.send(MessageCodec.encode(message));
    }
}
