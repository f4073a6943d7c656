package org.blazedb.sync.impl;

import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.codec.BlazeWriter;

/**
 * The operations of the next OPS batch, gathered already encoded: an operation read from the log
 * is copied as the log holds it, a live one is encoded once. {@link OperationsCodec#encode(OutgoingBatch)}
 * frames (and compresses) them. Reused from batch to batch by one {@link OutboundStream}; engine
 * thread only.
 */
final class OutgoingBatch {
    private final BlazeWriter operations = new BlazeWriter(64 * 1024);
    /** Per origin, the highest sequence in the batch's ended runs; the current run is kept apart. */
    private VersionVector last = VersionVector.EMPTY;
    private NodeId runOrigin;
    private long runSequence;
    private int count;

    /** Empties the batch. */
    void clear() {
        operations.reset();
        last = VersionVector.EMPTY;
        runOrigin = null;
        count = 0;
    }

    /** @param op an operation read from the log, copied without decoding */
    void add(EncodedOperation op) {
        operations.writeRaw(op.array(), op.offset(), op.length());
        added(op.id());
    }

    /** @param op a decoded operation, encoded here */
    void add(Operation op) {
        operations.writeOperation(op);
        added(op.id());
    }

    private void added(OpId id) {
        // Batches hold long runs of one origin: compare once per operation, one vector per run.
        if (!id.origin().equals(runOrigin)) {
            endRun();
            runOrigin = id.origin();
        }
        runSequence = id.sequence();
        count++;
    }

    private void endRun() {
        if (runOrigin != null) {
            last = last.with(runOrigin, Math.max(runSequence, last.get(runOrigin)));
        }
    }

    /** @return how many operations it holds */
    int count() {
        return count;
    }

    /** @return whether it holds none */
    boolean isEmpty() {
        return count == 0;
    }

    /** @return the bytes its operations take encoded */
    int bytes() {
        return operations.size();
    }

    /** @return the operations back to back, each as {@link BlazeWriter#writeOperation} writes it */
    BlazeWriter operations() {
        return operations;
    }

    /** @return per origin, the highest sequence it holds */
    VersionVector lastOf() {
        endRun();
        runOrigin = null;
        return last;
    }
}
