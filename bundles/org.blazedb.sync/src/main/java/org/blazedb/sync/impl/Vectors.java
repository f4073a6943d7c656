package org.blazedb.sync.impl;

import java.util.List;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;

/** Version-vector arithmetic the session needs on batches of operations. */
final class Vectors {
    private Vectors() {
    }

    /**
     * @param expected per origin, the highest sequence held or accepted so far
     * @param ops      a batch
     * @return {@code expected} advanced by the batch ({@code expected} itself when the batch adds
     *         nothing), or null if the batch leaves a gap in some origin's sequence
     */
    static VersionVector extend(VersionVector expected, List<Operation> ops) {
        VersionVector next = expected;
        // Batches hold long runs of one origin: one look-up and at most one new vector per run (a
        // live batch is one run of one origin), not per operation.
        NodeId origin = null;
        long have = 0;
        for (Operation op : ops) {
            NodeId o = op.id().origin();
            if (!o.equals(origin)) {
                if (origin != null) {
                    next = next.with(origin, have);
                }
                origin = o;
                have = next.get(o);
            }
            long seq = op.id().sequence();
            if (seq > have + 1) {
                return null;
            }
            if (seq == have + 1) {
                have = seq;
            }
        }
        return origin == null ? next : next.with(origin, have);
    }

    /** @param ops operations @return per origin, the highest sequence among them */
    static VersionVector lastOf(List<Operation> ops) {
        // one new vector per run of one origin (a live batch is one run), not per operation
        VersionVector last = VersionVector.EMPTY;
        NodeId origin = null;
        long max = 0;
        for (Operation op : ops) {
            NodeId o = op.id().origin();
            if (!o.equals(origin)) {
                if (origin != null) {
                    last = last.with(origin, Math.max(max, last.get(origin)));
                }
                origin = o;
                max = 0;
            }
            max = Math.max(max, op.id().sequence());
        }
        return origin == null ? last : last.with(origin, Math.max(max, last.get(origin)));
    }

    /**
     * @param a a vector or null
     * @param b a vector
     * @return their entry-wise maximum: {@code a} itself when it already covers {@code b} (an ACK
     *         or a STATE repeating what is known), so that nothing is copied
     */
    static VersionVector merge(VersionVector a, VersionVector b) {
        return a == null ? b : a.dominates(b) ? a : a.merge(b);
    }
}
