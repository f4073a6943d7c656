package org.blazedb.sync.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.sync.dto.PeerStatusDTO;

/**
 * The sync engine of one replica, free of OSGi so that tests drive it directly: it owns the
 * sessions (one per link), the outbound connections that reconnect, the per-peer counters, and the
 * throttled persistence of acknowledged peer vectors. {@code SyncComponent} wraps it as a DS
 * component. Public methods may be called from any thread; the work runs on the engine's
 * {@link EngineExecutor}.
 */
final class SyncEngine {
    private static final Logger LOG = Logger.getLogger(SyncEngine.class.getName());
    /**
     * The longest wait between attempts to save peer vectors while the store refuses them: the
     * wait starts at {@link EngineSettings#stateRecordMillis} and doubles per failed attempt, so a
     * store that stays broken is not asked (and the failure not logged) several times a second.
     */
    static final long MAX_RECORD_RETRY_MILLIS = 30_000;

    private final Replica replica;
    private final NodeId nodeId;
    private final EngineSettings settings;
    private final OperationsCodec codec;
    private final EngineExecutor executor;
    private final Supplier<ConflictResolver> resolver;
    private final Supplier<List<Relay>> relays;
    private final Consumer<ConflictEventDTO> conflictSink;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Map<URI, PeerConnection> connections = new ConcurrentHashMap<>();
    private final Map<NodeId, PeerStats> stats = new ConcurrentHashMap<>();
    /** Peer vectors acknowledged and not yet saved (or whose save failed, to be tried again). */
    private final Map<NodeId, VersionVector> unrecorded = new HashMap<>();
    /** The wait before the next attempt to save {@link #unrecorded} after a failed one; 0 after a success. */
    private long recordRetryMillis;
    private final AtomicLong conflictsTotal = new AtomicLong();
    private Runnable recordTimer;
    private Runnable tickTimer;
    private volatile boolean closed;
    /** The addresses the engine was connected to when it stopped; set by the stop. */
    private volatile List<URI> addressesAtStop = List.of();

    /**
     * @param replica      the replica to sync
     * @param settings     tunables
     * @param codec        the encoding of operation batches
     * @param executor     where the engine runs
     * @param resolver     the conflict resolver in use now (null when none runs)
     * @param relays       the relays bound now, preferred first
     * @param conflictSink told of every resolved conflict
     */
    SyncEngine(Replica replica, EngineSettings settings, OperationsCodec codec, EngineExecutor executor,
               Supplier<ConflictResolver> resolver, Supplier<List<Relay>> relays, Consumer<ConflictEventDTO> conflictSink) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.nodeId = replica.store().nodeId();
        this.settings = settings;
        this.codec = codec;
        this.executor = executor;
        this.resolver = resolver;
        this.relays = relays;
        this.conflictSink = conflictSink;
        executor.execute(this::tick);
    }

    // ---- the SyncService operations ----

    NodeId nodeId() {
        return nodeId;
    }

    /** @param link an inbound link @return the session serving it */
    LinkHandler accept(Link link) {
        Session session = new Session(this, null);
        // If the engine stops first, the start is dropped and the link closed here: left neither
        // started nor closed, it would keep the peer waiting on it for ever instead of reconnecting.
        executor.execute(() -> {
            if (closed) {
                refuse(link); // queued behind the engine's stop
                return;
            }
            sessions.add(session);
            session.start(link);
        }, () -> refuse(link));
        return session;
    }

    private static void refuse(Link link) {
        link.close(ErrorCode.UNAVAILABLE, "The sync engine is stopping");
    }

    /** @param address the peer's address @return completes after the first round with it */
    CompletionStage<PeerStatusDTO> connect(URI address) {
        if (address.getScheme() == null) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.NO_RELAY,
                    "Address '" + address + "' has no scheme; use for example memory:<store> or tcp://host:port"));
        }
        PeerConnection created = new PeerConnection(this, address);
        PeerConnection existing = connections.putIfAbsent(address, created);
        if (existing != null) {
            return existing.firstRound.copy();
        }
        // Asked while the engine stops (its settings changed, say, and it restarts): the caller
        // learns that the connection was not made, rather than waiting for a first round that
        // never comes.
        executor.execute(() -> {
            if (closed) {
                connections.remove(address, created);
                created.firstRound.completeExceptionally(stopped());
                return;
            }
            created.open();
        }, () -> created.firstRound.completeExceptionally(stopped()));
        return created.firstRound.copy();
    }

    /** @return the error for a request the engine cannot serve because it has stopped */
    private static BlazeException stopped() {
        return new BlazeException(ErrorCode.UNAVAILABLE, "The sync engine has stopped (it restarts when its settings change); try again");
    }

    /** @param address an address given to connect @return whether it was connected */
    boolean disconnect(URI address) {
        PeerConnection c = connections.remove(address);
        if (c == null) {
            return false;
        }
        // Removed above, the connection is no longer the engine's to stop: if the engine stops
        // first, its waiters learn that here (as for a connect), rather than waiting for ever.
        executor.execute(() -> c.stop(closed ? stopped()
                        : new BlazeException(ErrorCode.PEER_UNREACHABLE, "Disconnected from " + address)),
                () -> c.firstRound.completeExceptionally(stopped()));
        return true;
    }

    /** @param peer a peer @return completes when a fresh round with it is done */
    CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
        CompletableFuture<PeerStatusDTO> result = new CompletableFuture<>();
        executor.execute(() -> {
            for (Session s : sessions) {
                if (!s.isClosed() && peer.equals(s.peer())) {
                    s.syncNow(result);
                    return;
                }
            }
            result.completeExceptionally(closed ? stopped() : new BlazeException(ErrorCode.PEER_UNREACHABLE,
                    "No open session with " + peer + "; connect to it first"));
        }, () -> result.completeExceptionally(stopped()));
        return result;
    }

    /** @param changes changes the store committed, local or replicated */
    void onChanges(List<Change> changes) {
        if (everyPeerHolds(changes)) {
            // Received from the peers (typically from the one session there is): offering them
            // would find nothing to send. Skipping it saves the feed's turn on the engine, and the
            // engine thread's wake-up for it when the feed finds the engine still busy (with the
            // ACK of these very operations, say).
            return;
        }
        List<Operation> ops = new ArrayList<>(changes.size());
        for (Change c : changes) {
            ops.add(c.operation());
        }
        // The change feed's thread may wait for the engine: when the engine is idle it offers the
        // operations itself instead of waking the engine's thread for it (one hand-off less per write).
        executor.executeHereIfIdle(() -> {
            for (Session s : sessions) {
                s.offerLive(ops);
            }
        });
    }

    /**
     * Change feed's thread: whether the peer of every open session is known to hold every one of
     * the operations of {@code changes} already (it sent them, announced or acknowledged them). A
     * session opened after these operations were committed finds them in the log; one opened
     * before is in the list.
     */
    private boolean everyPeerHolds(List<Change> changes) {
        for (Session s : sessions) {
            VersionVector holds = s.peerHolds();
            if (holds == null) {
                return false;
            }
            for (Change c : changes) {
                if (!holds.contains(c.operation().id())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The bound relays changed: end sessions on departed ones, connect waiting addresses. */
    void relaysChanged() {
        executor.execute(() -> {
            List<Relay> bound = relays.get();
            for (PeerConnection c : connections.values()) {
                Session s = c.session();
                if (s != null && c.relay() != null && bound.stream().noneMatch(r -> r == c.relay())) {
                    s.bye("relay '" + c.scheme() + "' stopped");
                } else if (s == null) {
                    c.relayAvailable();
                }
            }
        });
    }

    /** Ends every session, stops reconnecting, persists peer vectors, and stops the executor. */
    void close() {
        close(10, TimeUnit.SECONDS);
    }

    /**
     * {@link #close()} with another bound on the wait for the engine's thread to run the stop.
     *
     * @param bound how long to wait
     * @param unit  its unit
     */
    void close(long bound, TimeUnit unit) {
        try {
            closeAsync().get(bound, unit);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "The sync engine did not stop cleanly within " + bound + " " + unit.name().toLowerCase()
                    + "; its thread is busy: " + e);
        }
        executor.shutdown(); // drops the stop if it has not run yet: see abandon()
    }

    /**
     * @return the addresses given to {@link #connect} that the engine was still connected to (or
     *     trying to reach) when it stopped; empty before it stops
     */
    List<URI> addressesAtStop() {
        return addressesAtStop;
    }

    /** @return completes once every session has ended and peer vectors are persisted */
    CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            closed = true;
            addressesAtStop = List.copyOf(connections.keySet());
            connections.values().forEach(c -> c.stop(stopped()));
            connections.clear();
            for (Session s : sessions) {
                s.bye("sync engine stopping");
            }
            recordPeerVersions();
            done.complete(null);
        }, () -> {
            if (!closed) {
                abandon(); // dropped by the shutdown before the engine's thread got to it
            }
            done.complete(null); // otherwise stopped already: nothing left to end
        });
        return done;
    }

    /**
     * The stop for an engine whose thread never ran it (stuck in a task past {@link #close}'s
     * bound: a commit blocked on the disk, say), done from the stopping thread with only what is
     * safe there. The links are closed (both relays' links close from any thread), so that peers
     * end their sessions and reconnect to whichever engine follows, instead of keeping a session
     * that the transport's keep-alives hold open with no engine behind it; callers waiting for a
     * first round are told; and the addresses are recorded for the carry-over into a restarted
     * engine. Peer vectors not recorded since the last record are not persisted: the next session
     * only re-sends what they covered, which the peer skips as held.
     */
    private void abandon() {
        closed = true;
        addressesAtStop = List.copyOf(connections.keySet());
        LOG.log(Level.WARNING, "The sync engine''s thread did not get to its stop; closing {0} links from here",
                sessions.size());
        connections.values().forEach(c -> c.firstRound.completeExceptionally(stopped()));
        connections.clear();
        for (Session s : sessions) {
            Link link = s.link();
            if (link != null) {
                link.close(ErrorCode.UNAVAILABLE, "The sync engine is stopping");
            }
        }
    }

    // ---- status ----

    /** @return every known peer's status */
    List<PeerStatusDTO> peers() {
        Set<NodeId> known = new TreeSet<>(stats.keySet());
        known.addAll(replica.knownPeers());
        List<PeerStatusDTO> out = new ArrayList<>();
        for (NodeId peer : known) {
            out.add(peerStatus(peer));
        }
        for (PeerConnection c : connections.values()) {
            Session s = c.session();
            if (s == null || s.peer() == null) {
                PeerStatusDTO dto = new PeerStatusDTO();
                dto.address = c.address.toString();
                dto.lastError = c.lastError();
                out.add(dto);
            }
        }
        return out;
    }

    /** @param peer a peer @return its status now */
    PeerStatusDTO peerStatus(NodeId peer) {
        PeerStats s = stats.get(peer);
        VersionVector local = replica.version();
        VersionVector known = replica.peerVersion(peer);
        PeerStatusDTO dto = new PeerStatusDTO();
        dto.nodeId = peer.toString();
        if (s != null) {
            known = s.peerHas == null ? known : known.merge(s.peerHas);
            dto.address = s.address;
            dto.connected = s.openSessions > 0;
            dto.relay = dto.connected ? s.relay : null;
            dto.pendingInbound = s.peerHas == null ? 0 : s.peerHas.countMissingFrom(local);
            dto.operationsSent = s.sent.get();
            dto.operationsReceived = s.received.get();
            dto.operationsDuplicate = s.duplicates.get();
            dto.lastSyncMillis = s.lastSyncMillis;
            dto.conflictsResolved = s.conflicts.get();
            dto.errors = s.errors.get();
            dto.lastError = s.lastError;
        }
        dto.pendingOutbound = local.countMissingFrom(known);
        return dto;
    }

    /** @return conflicts resolved since start */
    long conflictsResolved() {
        return conflictsTotal.get();
    }

    /** @return the addresses this engine keeps connections to */
    Set<URI> connectedAddresses() {
        return Set.copyOf(connections.keySet());
    }

    /** @return the sessions open now (for tests and diagnostics; any thread) */
    List<Session> sessions() {
        return List.copyOf(sessions);
    }

    // ---- called by sessions and connections, engine thread ----

    Replica replica() {
        return replica;
    }

    EngineSettings settings() {
        return settings;
    }

    OperationsCodec codec() {
        return codec;
    }

    EngineExecutor executor() {
        return executor;
    }

    ConflictResolver resolver() {
        return resolver.get();
    }

    Relay relayFor(String scheme) {
        for (Relay r : relays.get()) {
            if (scheme.equals(r.scheme())) {
                return r;
            }
        }
        return null;
    }

    PeerStats sessionOpened(Session session) {
        if (session.connection() != null && !sessions.contains(session)) {
            sessions.add(session);
        }
        PeerStats s = stats.computeIfAbsent(session.peer(), PeerStats::new);
        s.openSessions++;
        s.address = session.connection() != null ? session.connection().address.toString()
                : String.valueOf(session.link().remoteAddress());
        s.relay = session.link().relay();
        return s;
    }

    void sessionClosed(Session session, PeerStats s) {
        sessions.remove(session);
        if (s != null) {
            // Recorded before the peer shows as disconnected (peers() reads openSessions from any
            // thread): whoever sees the session gone can read what the peer acknowledged in it.
            recordPeerVersions();
            s.openSessions--;
            forgetIfNothingHeld(s);
        }
        if (session.connection() != null) {
            session.connection().sessionEnded(session);
        }
    }

    /**
     * Drops the in-memory record of a peer with no open session that neither sent nor
     * acknowledged anything (no vector persisted or waiting to be): a node id is only claimed in
     * HELLO, so a peer reconnecting under a fresh id each time would otherwise leave a record per
     * id, listed for ever. A peer with a persisted vector stays listed (from the store, with its
     * counters while the engine runs).
     */
    private void forgetIfNothingHeld(PeerStats s) {
        if (s.openSessions == 0 && !unrecorded.containsKey(s.peer) && !replica.knownPeers().contains(s.peer)) {
            stats.remove(s.peer, s);
        }
    }

    void roundCompleted(Session session) {
        if (session.connection() != null) {
            session.connection().roundCompleted(() -> peerStatus(session.peer()));
        }
    }

    /** The peer acknowledged holding {@code v} durably; persisted within stateRecordMillis. */
    void peerDurable(NodeId peer, VersionVector v) {
        unrecorded.merge(peer, v, VersionVector::merge);
        if (recordTimer == null) {
            recordTimer = executor.schedule(this::recordPeerVersions, settings.stateRecordMillis());
        }
    }

    void conflictsResolved(PeerStats s, List<ConflictEventDTO> events) {
        if (events.isEmpty()) {
            return;
        }
        s.conflicts.addAndGet(events.size());
        conflictsTotal.addAndGet(events.size());
        for (ConflictEventDTO e : events) {
            conflictSink.accept(e);
        }
    }

    /**
     * Saves the acknowledged peer vectors. A vector the store refuses stays to be saved: it is
     * tried again after a back-off (and with whatever the peer acknowledges meanwhile), so that
     * the saved state does not stay behind what the peer holds until it acknowledges something
     * new, which an idle or departed peer never does. Saving merges, so a retry after a save that
     * did happen changes nothing. Nothing is sent on the strength of a saved vector (a session
     * streams from the peer's STATE), so a save lost at the engine's stop only costs status.
     */
    private void recordPeerVersions() {
        if (recordTimer != null) {
            recordTimer.run();
            recordTimer = null;
        }
        boolean failed = false;
        for (Iterator<Map.Entry<NodeId, VersionVector>> i = unrecorded.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<NodeId, VersionVector> e = i.next();
            try {
                replica.recordPeerVersion(e.getKey(), e.getValue());
                i.remove();
            } catch (RuntimeException failure) {
                // the trace once per run of failures; the retries' lines say only that it goes on
                LOG.log(Level.WARNING, "Could not persist the sync state of peer " + e.getKey() + " ("
                        + (closed ? "not retried: the engine is stopping; its next session starts from the peer's STATE"
                                : "kept, and tried again") + "): " + failure, recordRetryMillis == 0 ? failure : null);
                failed = true;
            }
        }
        if (!failed) {
            recordRetryMillis = 0;
        } else if (!closed) {
            recordRetryMillis = recordRetryMillis == 0 ? Math.min(settings.stateRecordMillis(), MAX_RECORD_RETRY_MILLIS)
                    : Math.min(recordRetryMillis * 2, MAX_RECORD_RETRY_MILLIS);
            recordTimer = executor.schedule(this::recordPeerVersions, recordRetryMillis);
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = executor.now();
        for (Session s : sessions) {
            s.tick(now);
        }
        tickTimer = executor.schedule(this::tick, Math.max(10, Math.min(settings.pingIntervalMillis(), 1000)));
    }
}
