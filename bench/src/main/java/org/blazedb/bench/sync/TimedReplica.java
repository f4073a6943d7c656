package org.blazedb.bench.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * elsewhere.
 */
final class TimedReplica implements Replica {
    private final Replica store;
    private final List<long[]> applies = Collections.synchronizedList(new ArrayList<>());

    TimedReplica(Replica store) {
        this.store = store;
    }

    @Override
    public ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver) {
        long start = System.nanoTime();
        try {
            return store.apply(from, ops, resolver);
        } finally {
            applies.add(new long[] {start, System.nanoTime()});
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
