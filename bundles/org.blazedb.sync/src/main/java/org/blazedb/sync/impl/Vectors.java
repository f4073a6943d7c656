package org.blazedb.sync.impl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;

/** Version-vector arithmetic the session needs on batches of operations. */
final class Vectors {
    private Vectors() {
    }

    /**
     * @param expected per origin, the highest sequence held or accepted so far; advanced on success
     * @param ops      a batch
     * @return false if the batch leaves a gap in some origin's sequence (then nothing is advanced)
     */
    static boolean extend(Map<NodeId, Long> expected, List<Operation> ops) {
        // The runs before the last one, when a batch holds several origins; a live batch holds one
        // run of one origin, which needs no map of its own.
        Map<NodeId, Long> next = null;
        // Batches hold long runs of one origin: one map look-up per run, not per operation.
        NodeId origin = null;
        long have = 0;
        for (Operation op : ops) {
            NodeId o = op.id().origin();
            if (!o.equals(origin)) {
                if (origin != null) {
                    if (next == null) {
                        next = new HashMap<>();
                    }
                    next.put(origin, have);
                }
                origin = o;
                Long accepted = next == null ? null : next.get(o);
                have = accepted != null ? accepted : expected.getOrDefault(o, 0L);
            }
            long seq = op.id().sequence();
            if (seq > have + 1) {
                return false;
            }
            if (seq == have + 1) {
                have = seq;
            }
        }
        if (next != null) {
            expected.putAll(next);
        }
        if (origin != null) {
            expected.put(origin, have);
        }
        return true;
    }

    /** @param ops operations @return per origin, the highest sequence among them */
    static VersionVector lastOf(List<Operation> ops) {
        // the runs before the last one, when the operations come from several origins
        Map<NodeId, Long> last = null;
        NodeId origin = null;
        long max = 0;
        for (Operation op : ops) {
            NodeId o = op.id().origin();
            if (!o.equals(origin)) {
                if (origin != null) {
                    if (last == null) {
                        last = new HashMap<>();
                    }
                    last.merge(origin, max, Math::max);
                }
                origin = o;
                max = 0;
            }
            max = Math.max(max, op.id().sequence());
        }
        if (origin == null) {
            return VersionVector.EMPTY;
        }
        if (last == null) {
            return VersionVector.EMPTY.with(origin, max); // one origin: no map to copy from
        }
        last.merge(origin, max, Math::max);
        return VersionVector.of(last);
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
