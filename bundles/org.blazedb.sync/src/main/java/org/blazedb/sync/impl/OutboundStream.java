package org.blazedb.sync.impl;

import java.util.ArrayDeque;
import java.util.List;
import org.blazedb.api.Cursor;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Replica;

/**
 * The operations one session still has to send its peer, produced in batches. Two sources feed
 * it: a cursor over {@link Replica#encodedOperationsMissingFrom} (a scan, opened when the peer's
 * state arrives and whenever the live path cannot be trusted), whose operations go into the batch
 * as the log holds them, never decoded here; and the live queue of operations the store just
 * announced (the fast path once the peer is caught up), encoded once into the batch. Only the cursor and at most one
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
    private final OutgoingBatch batch = new OutgoingBatch();
    private Cursor<EncodedOperation> cursor;
    /** The candidate that did not fit the last batch: an {@link EncodedOperation} or an {@link Operation}. */
    private Object carry;
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

    /**
     * Operations the peer sent us: it holds them, so they are not echoed back.
     *
     * @param lastOfOps per origin, the highest sequence it sent (it sends each origin's in order)
     */
    void peerSent(VersionVector lastOfOps) {
        sent.merge(lastOfOps);
    }

    /** @param ops operations the store just committed, in commit order */
    void offerLive(List<Operation> ops) {
        if (needsScan || cursor != null || carry != null || live.size() + ops.size() > LIVE_LIMIT) {
            live.clear();
            needsScan = true;
            return;
        }
        NodeId origin = null;
        long peerHas = 0;
        for (Operation op : ops) {
            // one look-up per run of one origin's operations, not per operation
            if (!op.id().origin().equals(origin)) {
                origin = op.id().origin();
                peerHas = sent.get(origin);
            }
            if (op.id().sequence() > peerHas) {
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
     * @param maxBytes most bytes of encoded operations (a live operation's size is estimated; a
     *                 single larger operation still goes alone)
     * @return the next batch, empty when there is nothing more to send now; valid until the next call
     */
    OutgoingBatch nextBatch(int maxOps, int maxBytes) {
        batch.clear();
        while (batch.count() < maxOps) {
            Object candidate = nextCandidate();
            if (candidate == null) {
                break;
            }
            EncodedOperation encoded = candidate instanceof EncodedOperation e ? e : null;
            Operation op = encoded == null ? (Operation) candidate : null;
            OpId id = encoded != null ? encoded.id() : op.id();
            if (sent.contains(id)) {
                continue;
            }
            if (id.sequence() != sent.get(id.origin()) + 1) {
                // a live operation whose predecessor was never handed out: rescan from 'sent'
                live.clear();
                needsScan = true;
                continue;
            }
            int size = encoded != null ? encoded.length() : codec.estimateSize(op);
            if (!batch.isEmpty() && batch.bytes() + size > maxBytes) {
                carry = candidate;
                break;
            }
            if (encoded != null) {
                batch.add(encoded);
            } else {
                batch.add(op);
            }
            sent.advance(id);
        }
        return batch;
    }

    private Object nextCandidate() {
        while (true) {
            if (carry != null) {
                Object c = carry;
                carry = null;
                return c;
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
                cursor = replica.encodedOperationsMissingFrom(sent.toVector());
                continue;
            }
            return live.poll();
        }
    }

    private void closeCursor() {
        if (cursor != null) {
            Cursor<EncodedOperation> c = cursor;
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
