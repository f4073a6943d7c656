package org.blazedb.api;

import java.util.Objects;

/**
 * The identity of one operation: the node where it was written and its position in that node's
 * own sequence of writes, counted from 1 without gaps.
 *
 * @param origin   the node that wrote the operation
 * @param sequence its number among that node's writes, from 1
 */
public record OpId(NodeId origin, long sequence) implements Comparable<OpId> {
    /**
     * @param origin   the node that wrote the operation
     * @param sequence its number among that node's writes, from 1
     */
    public OpId {
        Objects.requireNonNull(origin, "origin");
        if (sequence < 1) {
            throw new IllegalArgumentException("Operation sequence numbers start at 1, got " + sequence);
        }
    }

    @Override
    public int compareTo(OpId o) {
        int c = origin.compareTo(o.origin);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return origin + ":" + sequence;
    }
}
