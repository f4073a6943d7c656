package org.blazedb.sync.impl;

import java.util.HashMap;
import java.util.Map;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.VersionVector;

/**
 * A mutable version vector for the hot path of a send stream: what the peer holds or has been
 * sent, advanced once per operation without copying (an immutable {@link VersionVector} would be
 * copied per operation). Each origin's sequence sits in a one-element array of its own, so that
 * advancing a known origin allocates nothing (a {@code Long} would be boxed per operation).
 */
final class SentVector {
    private final HashMap<NodeId, long[]> entries = new HashMap<>();

    SentVector(VersionVector initial) {
        merge(initial);
    }

    long get(NodeId origin) {
        long[] seq = entries.get(origin);
        return seq == null ? 0L : seq[0];
    }

    boolean contains(OpId id) {
        return get(id.origin()) >= id.sequence();
    }

    void advance(OpId id) {
        raise(id.origin(), id.sequence());
    }

    void reset(VersionVector to) {
        entries.clear();
        merge(to);
    }

    void merge(VersionVector other) {
        for (int i = 0; i < other.size(); i++) {
            raise(other.node(i), other.sequence(i));
        }
    }

    private void raise(NodeId origin, long sequence) {
        long[] seq = entries.get(origin);
        if (seq == null) {
            entries.put(origin, new long[] {sequence});
        } else if (seq[0] < sequence) {
            seq[0] = sequence;
        }
    }

    VersionVector toVector() {
        Map<NodeId, Long> copy = new HashMap<>(entries.size() * 2);
        entries.forEach((origin, seq) -> copy.put(origin, seq[0]));
        return VersionVector.of(copy);
    }
}
