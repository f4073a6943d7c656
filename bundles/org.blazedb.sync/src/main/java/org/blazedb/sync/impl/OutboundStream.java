package org.blazedb.sync.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.Cursor;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Replica;

/**
 * The operations one session still has to send its peer, produced in batches. Two sources feed
 * it: a cursor over {@link Replica#operationsMissingFrom} (a scan, opened when the peer's state
 * arrives and whenever the live path cannot be trusted), and the live queue of operations the
 * store just announced (the fast path once the peer is caught up). Only the cursor and at most one
 * bounded live queue are in memory, however far behind the peer is.
 *
 * <p>{@code sent} is what the peer holds or has been sent; an operation it covers is never sent
 * again in this epoch. Per origin, operations go out in sequence order without gaps, which is what
 * the receiver checks. Engine thread only.
 */
final class OutboundStream implements AutoCloseable {
    /** The most operations held in the live queue before falling back to a scan. */
    static final int LIVE_LIMIT = 10_000;

    private final Replica replica;
    private final OperationsCodec codec;
    private final SentVector sent;
    private final ArrayDeque<Operation> live = new ArrayDeque<>();
    private Cursor<Operation> cursor;
    private Operation carry;
    private boolean needsScan = true;

    OutboundStream(Replica replica, OperationsCodec codec, VersionVector peerHolds) {
        this.replica = replica;
        this.codec = codec;
        this.sent = new SentVector(peerHolds);
    }

    /** The peer announced holding {@code v}: nothing it covers is sent. */
    void peerHolds(VersionVector v) {
        sent.merge(v);
        needsScan = true;
    }

    /** The peer holds exactly {@code v} (it rejected a batch): restart from there. */
    void rewind(VersionVector v) {
        closeCursor();
        live.clear();
        carry = null;
        sent.reset(v);
        needsScan = true;
    }

    /** Operations the peer sent us: it holds them, so they are not echoed back. */
    void peerSent(List<Operation> ops) {
        for (Operation op : ops) {
            sent.advance(op.id());
        }
    }

    /** @param ops operations the store just committed, in commit order */
    void offerLive(List<Operation> ops) {
        if (needsScan || cursor != null || carry != null || live.size() + ops.size() > LIVE_LIMIT) {
            live.clear();
            needsScan = true;
            return;
        }
        for (Operation op : ops) {
            if (!sent.contains(op.id())) {
                live.add(op);
            }
        }
    }

    /** @return whether everything known to be missing has been handed out */
    boolean isDrained() {
        return !needsScan && cursor == null && carry == null && live.isEmpty();
    }

    /**
     * @param maxOps   most operations
     * @param maxBytes most estimated bytes (a single larger operation still goes alone)
     * @return the next batch, empty when there is nothing more to send now
     */
    List<Operation> nextBatch(int maxOps, int maxBytes) {
        List<Operation> batch = new ArrayList<>(Math.min(maxOps, 256));
        int bytes = 0;
        while (batch.size() < maxOps) {
            Operation op = nextCandidate();
            if (op == null) {
                break;
            }
            if (sent.contains(op.id())) {
                continue;
            }
            if (op.id().sequence() != sent.get(op.id().origin()) + 1) {
                // a live operation whose predecessor was never handed out: rescan from 'sent'
                live.clear();
                needsScan = true;
                continue;
            }
            int size = codec.estimateSize(op);
            if (!batch.isEmpty() && bytes + size > maxBytes) {
                carry = op;
                break;
            }
            batch.add(op);
            bytes += size;
            sent.advance(op.id());
        }
        return batch;
    }

    private Operation nextCandidate() {
        while (true) {
            if (carry != null) {
                Operation op = carry;
                carry = null;
                return op;
            }
            if (cursor != null) {
                if (cursor.hasNext()) {
                    return cursor.next();
                }
                closeCursor();
            }
            if (needsScan) {
                needsScan = false;
                live.clear();
                cursor = replica.operationsMissingFrom(sent.toVector());
                continue;
            }
            return live.poll();
        }
    }

    private void closeCursor() {
        if (cursor != null) {
            Cursor<Operation> c = cursor;
            cursor = null;
            c.close();
        }
    }

    @Override
    public void close() {
        closeCursor();
        live.clear();
        carry = null;
    }
}
