package org.blazedb.sync.impl;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Cursor;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.Store;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;

/**
 * A test-only, in-memory model of the store's {@link Replica}: an operation log, per-document
 * state, a hybrid logical clock, per-peer vectors. Faithful to the contract the engine relies on:
 * applying is atomic and idempotent, a batch with a gap is rejected whole, the version vector is
 * contiguous per origin, and {@link #operationsMissingFrom} streams in per-origin sequence order.
 *
 * <p>Documents are {@link ModelDocument}s, whose state is a function of the set of operations
 * applied (they replay in clock order); a resolver's decision that differs from it is written as a
 * local operation, as the store does, so replicas converge whatever the arrival order and whatever
 * resolver each runs. All methods are synchronized; the engine and the test thread share it.
 */
final class ModelReplica implements Replica {
    private final String name;
    private final NodeId node;
    private final LongSupplier wallClock;
    private final List<Operation> log = new ArrayList<>();
    private final Map<NodeId, Long> version = new HashMap<>();
    private final Map<String, ModelDocument> documents = new TreeMap<>();
    private final Map<NodeId, VersionVector> peerVersions = new TreeMap<>();
    private final List<ConflictEventDTO> conflicts = new ArrayList<>();
    private final Store store;
    private Consumer<List<Change>> listener = c -> { };
    private long sequence;
    private long clockWall;
    private int clockCounter;
    /** Counts apply calls, to check idempotence and batching in tests. */
    int applyCalls;
    /** Counts recordPeerVersion calls. */
    int recordCalls;
    /** Run inside each recordPeerVersion call, before it records, to look at the engine then. */
    volatile Runnable beforeRecord = () -> { };

    ModelReplica(String name, NodeId node, LongSupplier wallClock) {
        this.name = name;
        this.node = node;
        this.wallClock = wallClock;
        this.store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "nodeId" -> node;
                    case "name" -> name;
                    case "version" -> version();
                    case "toString" -> "ModelStore " + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("model store: " + method.getName());
                });
    }

    synchronized void setListener(Consumer<List<Change>> listener) {
        this.listener = listener;
    }

    // ---- local writes ----

    Operation put(String collection, String id, MapValue fields) {
        return write(collection, id, OperationKind.PUT, fields, Operation.noUnset());
    }

    Operation patch(String collection, String id, MapValue set, SortedSet<String> unset) {
        return write(collection, id, OperationKind.PATCH, set, unset);
    }

    Operation delete(String collection, String id) {
        return write(collection, id, OperationKind.DELETE, MapValue.EMPTY, Operation.noUnset());
    }

    private Operation write(String collection, String id, OperationKind kind, MapValue fields, SortedSet<String> unset) {
        Operation op;
        Consumer<List<Change>> l;
        long position;
        synchronized (this) {
            ModelDocument doc = documents.computeIfAbsent(collection + "/" + id, k -> new ModelDocument(collection, id));
            op = new Operation(new OpId(node, sequence + 1), tick(), collection, id, kind, fields, unset, doc.context());
            sequence++;
            commit(op, doc);
            position = log.size();
            l = listener;
        }
        l.accept(List.of(new Change(position, op, true)));
        return op;
    }

    // ---- Replica ----

    @Override
    public Store store() {
        return store;
    }

    @Override
    public synchronized VersionVector version() {
        return VersionVector.of(version);
    }

    @Override
    public Cursor<Operation> operationsMissingFrom(VersionVector known) {
        int end;
        synchronized (this) {
            end = log.size();
        }
        return new Cursor<>() {
            private int index;
            private Operation next;
            private boolean closed;

            @Override
            public boolean hasNext() {
                if (closed) {
                    return false;
                }
                while (next == null && index < end) {
                    Operation op;
                    synchronized (ModelReplica.this) {
                        op = log.get(index++);
                    }
                    if (!known.contains(op.id())) {
                        next = op;
                    }
                }
                return next != null;
            }

            @Override
            public Operation next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Operation op = next;
                next = null;
                return op;
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    /** The operations of {@link #operationsMissingFrom}, each encoded as a store's log holds it. */
    @Override
    public Cursor<EncodedOperation> encodedOperationsMissingFrom(VersionVector known) {
        Cursor<Operation> ops = operationsMissingFrom(known);
        return new Cursor<>() {
            @Override
            public boolean hasNext() {
                return ops.hasNext();
            }

            @Override
            public EncodedOperation next() {
                Operation op = ops.next();
                byte[] encoded = BlazeBinary.encodeOperation(op); // a header byte, then the operation
                return new EncodedOperation(op.id(), encoded, 1, encoded.length - 1);
            }

            @Override
            public void close() {
                ops.close();
            }
        };
    }

    @Override
    public ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver) {
        List<Change> changes = new ArrayList<>();
        Consumer<List<Change>> l;
        ApplyResult result;
        synchronized (this) {
            applyCalls++;
            // validate the whole batch first: atomic
            Map<NodeId, Long> expected = new HashMap<>(version);
            for (Operation op : ops) {
                long have = expected.getOrDefault(op.id().origin(), 0L);
                if (op.id().sequence() > have + 1) {
                    throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "gap before " + op.id() + " (holding " + have + ")");
                }
                expected.put(op.id().origin(), Math.max(have, op.id().sequence()));
            }
            int applied = 0;
            int duplicates = 0;
            List<ConflictEventDTO> events = new ArrayList<>();
            for (Operation op : ops) {
                if (version.getOrDefault(op.id().origin(), 0L) >= op.id().sequence()) {
                    duplicates++;
                    continue;
                }
                receive(op.stamp());
                ModelDocument doc = documents.computeIfAbsent(op.collection() + "/" + op.documentId(),
                        k -> new ModelDocument(op.collection(), op.documentId()));
                ModelDocument.State before = doc.state();
                boolean concurrent = doc.concurrentWith(op);
                commit(op, doc);
                applied++;
                changes.add(new Change(log.size(), op, false));
                if (concurrent) {
                    events.add(resolve(op, doc, before.version(), resolver, changes));
                }
            }
            // as the store: the peer holds every operation it sent (and, its vector being
            // contiguous, all before them), recorded in the same "commit"
            VersionVector fromVersion = VersionVector.EMPTY;
            for (Operation op : ops) {
                fromVersion = fromVersion.get(op.id().origin()) >= op.id().sequence() ? fromVersion
                        : fromVersion.with(op.id().origin(), op.id().sequence());
            }
            peerVersions.merge(from, fromVersion, VersionVector::merge);
            conflicts.addAll(events);
            result = new ApplyResult(applied, duplicates, events, version());
            l = listener;
        }
        if (!changes.isEmpty()) {
            l.accept(changes);
        }
        return result;
    }

    @Override
    public synchronized VersionVector peerVersion(NodeId peer) {
        return peerVersions.getOrDefault(peer, VersionVector.EMPTY);
    }

    @Override
    public synchronized void recordPeerVersion(NodeId peer, VersionVector v) {
        beforeRecord.run();
        peerVersions.merge(peer, v, VersionVector::merge);
        recordCalls++;
    }

    @Override
    public synchronized List<NodeId> knownPeers() {
        return List.copyOf(peerVersions.keySet());
    }

    // ---- inspection ----

    synchronized Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        documents.forEach((k, d) -> out.put(k, d.describe()));
        return out;
    }

    synchronized List<ConflictEventDTO> conflicts() {
        return List.copyOf(conflicts);
    }

    /** Folds every document's history into its current state (at a quiescent point of a test). */
    synchronized void compact() {
        documents.values().forEach(ModelDocument::compact);
    }

    synchronized int logSize() {
        return log.size();
    }

    synchronized ModelDocument document(String collection, String id) {
        return documents.get(collection + "/" + id);
    }

    synchronized List<Operation> log() {
        return List.copyOf(log);
    }

    NodeId nodeId() {
        return node;
    }

    String name() {
        return name;
    }

    private void commit(Operation op, ModelDocument doc) {
        log.add(op);
        version.merge(op.id().origin(), op.id().sequence(), Math::max);
        doc.add(op);
    }

    /**
     * Asks the resolver about a concurrent operation just merged; a decision other than the merge
     * is written at once as a local operation (the store writes one per document and batch; either
     * way the decision replicates as an operation).
     */
    private ConflictEventDTO resolve(Operation op, ModelDocument doc, DocumentVersion local, ConflictResolver resolver,
                                     List<Change> changes) {
        DocumentVersion incoming = doc.state().version();
        Resolution r = resolver.resolve(new Conflict(doc.collection(), doc.id(), local, incoming, op));
        DocumentVersion kept = r.result();
        ConflictEventDTO e = new ConflictEventDTO();
        e.collection = doc.collection();
        e.documentId = doc.id();
        e.operation = op.id().toString();
        e.resolver = resolver.name();
        e.incomingKept = !kept.sameContent(local) || local.sameContent(incoming);
        e.localKept = local.deleted() ? kept.deleted()
                : !kept.deleted() && kept.fields().entries().entrySet().containsAll(local.fields().entries().entrySet());
        e.explanation = r.explanation();
        if (!kept.sameContent(incoming)) {
            Operation decision = decision(doc, kept);
            sequence++;
            commit(decision, doc);
            changes.add(new Change(log.size(), decision, true));
            e.resolutionOperation = decision.id().toString();
        }
        return e;
    }

    /** The local operation that turns the merged state into {@code kept}. */
    private Operation decision(ModelDocument doc, DocumentVersion kept) {
        ModelDocument.State merged = doc.state();
        OpId id = new OpId(node, sequence + 1);
        if (kept.deleted()) {
            return new Operation(id, tick(), doc.collection(), doc.id(), OperationKind.DELETE, MapValue.EMPTY,
                    Operation.noUnset(), doc.context());
        }
        if (merged.deleted()) {
            return new Operation(id, tick(), doc.collection(), doc.id(), OperationKind.PUT, kept.fields(),
                    Operation.noUnset(), doc.context());
        }
        MapValue.Builder set = MapValue.builder();
        kept.fields().entries().forEach((f, v) -> {
            if (!v.equals(merged.fields().entries().get(f))) {
                set.put(f, v);
            }
        });
        java.util.TreeSet<String> unset = new java.util.TreeSet<>(org.blazedb.api.value.Value.KEY_ORDER);
        for (String f : merged.fields().entries().keySet()) {
            if (!kept.fields().entries().containsKey(f)) {
                unset.add(f);
            }
        }
        return new Operation(id, tick(), doc.collection(), doc.id(), OperationKind.PATCH, set.build(), unset, doc.context());
    }

    /** HLC send/local event (Kulkarni et al.): never behind the wall clock or the last stamp. */
    private Hlc tick() {
        long wall = wallClock.getAsLong();
        if (wall > clockWall) {
            clockWall = wall;
            clockCounter = 0;
        } else {
            clockCounter++;
        }
        return new Hlc(clockWall, clockCounter, node);
    }

    /** HLC receive: the local clock moves past the incoming stamp. */
    private void receive(Hlc remote) {
        long wall = wallClock.getAsLong();
        long max = Math.max(wall, Math.max(clockWall, remote.wallTime()));
        if (max == clockWall && max == remote.wallTime()) {
            clockCounter = Math.max(clockCounter, remote.counter()) + 1;
        } else if (max == clockWall) {
            clockCounter++;
        } else if (max == remote.wallTime()) {
            clockCounter = remote.counter() + 1;
        } else {
            clockCounter = 0;
        }
        clockWall = max;
    }
}
