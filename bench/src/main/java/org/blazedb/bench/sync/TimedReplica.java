package org.blazedb.bench.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.Cursor;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.Store;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Replica;

/**
 * A {@link Replica} that passes every call to the store's and records when each {@link #apply}
 * (one durable commit of received operations, fsync included) started and ended, so the live
 * benchmark can tell a slow write that waited for the receiver's commit from one that waited
 * elsewhere. Made with {@code byDocument}, it also notes each apply against the ids of the documents
 * it carried, so a write can be followed into the receiver's commit (the TCP benchmark does).
 */
public final class TimedReplica implements Replica {
    private final Replica store;
    private final List<long[]> applies = Collections.synchronizedList(new ArrayList<>());
    /** Document id → {start, end} of the first apply that carried it; null when not asked for. */
    private final Map<String, long[]> byDocument;

    /**
     * @param store      the replica to pass every call to
     * @param byDocument whether to note each apply against the ids of its documents too
     */
    public TimedReplica(Replica store, boolean byDocument) {
        this.store = store;
        this.byDocument = byDocument ? new HashMap<>() : null;
    }

    @Override
    public ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver) {
        long start = System.nanoTime();
        try {
            return store.apply(from, ops, resolver);
        } finally {
            long[] span = {start, System.nanoTime()};
            applies.add(span);
            if (byDocument != null) {
                synchronized (byDocument) {
                    for (Operation op : ops) {
                        byDocument.putIfAbsent(op.documentId(), span);
                    }
                }
            }
        }
    }

    /** @return document id → {start, end} of the apply that carried it ({@link System#nanoTime()}); empty unless asked for */
    public Map<String, long[]> byDocument() {
        if (byDocument == null) {
            return Map.of();
        }
        synchronized (byDocument) {
            return new HashMap<>(byDocument);
        }
    }

    /** Forgets the applies recorded so far (the warm-up's). */
    void clear() {
        applies.clear();
    }

    /** @return the applies recorded */
    int count() {
        return applies.size();
    }

    /** @return whether an apply that took longer than {@code slowerThan} ns overlapped [from, to] */
    boolean slowApplyDuring(long from, long to, long slowerThan) {
        synchronized (applies) {
            return applies.stream().anyMatch(a -> a[1] - a[0] > slowerThan && a[0] < to && a[1] > from);
        }
    }

    /** @param p a fraction @return that percentile of the apply durations, in ns */
    long percentile(double p) {
        long[] sorted;
        synchronized (applies) {
            sorted = applies.stream().mapToLong(a -> a[1] - a[0]).sorted().toArray();
        }
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    @Override
    public Store store() {
        return store.store();
    }

    @Override
    public VersionVector version() {
        return store.version();
    }

    @Override
    public Cursor<Operation> operationsMissingFrom(VersionVector known) {
        return store.operationsMissingFrom(known);
    }

    @Override
    public Cursor<EncodedOperation> encodedOperationsMissingFrom(VersionVector known) {
        return store.encodedOperationsMissingFrom(known);
    }

    @Override
    public VersionVector peerVersion(NodeId peer) {
        return store.peerVersion(peer);
    }

    @Override
    public void recordPeerVersion(NodeId peer, VersionVector version) {
        store.recordPeerVersion(peer, version);
    }

    @Override
    public List<NodeId> knownPeers() {
        return store.knownPeers();
    }
}
