package org.blazedb.sync.impl;

import java.util.HashMap;
import java.util.Map;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.VersionVector;

/**
 * A mutable version vector for the hot path of a send stream: what the peer holds or has been
 * sent, advanced once per operation without copying (an immutable {@link VersionVector} would be
 * copied per operation).
 */
final class SentVector {
    private final HashMap<NodeId, Long> entries = new HashMap<>();

    SentVector(VersionVector initial) {
        entries.putAll(initial.entries());
    }

    long get(NodeId origin) {
        return entries.getOrDefault(origin, 0L);
    }

    boolean contains(OpId id) {
        return get(id.origin()) >= id.sequence();
    }

    void advance(OpId id) {
        entries.merge(id.origin(), id.sequence(), Math::max);
    }

    void reset(VersionVector to) {
        entries.clear();
        entries.putAll(to.entries());
    }

    void merge(VersionVector other) {
        for (Map.Entry<NodeId, Long> e : other.entries().entrySet()) {
            entries.merge(e.getKey(), e.getValue(), Math::max);
        }
    }

    VersionVector toVector() {
        return VersionVector.of(entries);
    }
}
