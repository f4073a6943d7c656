package org.blazedb.api;

import java.util.Objects;

/**
 * A hybrid logical clock stamp (Kulkarni et al., "Logical Physical Clocks", 2014): the wall time in
 * milliseconds the clock had reached, a logical counter that orders events within that
 * millisecond, and the node that issued it. Stamps are totally ordered by wall time, then counter,
 * then node id, so two stamps from different nodes are never equal and last-writer-wins is
 * deterministic on every replica.
 *
 * @param wallTime milliseconds since the epoch, as the issuing clock knew them
 * @param counter  logical counter within {@code wallTime}, from 0
 * @param node     the node that issued the stamp
 */
public record Hlc(long wallTime, int counter, NodeId node) implements Comparable<Hlc> {
    /**
     * @param wallTime milliseconds since the epoch, not negative
     * @param counter  logical counter, not negative
     * @param node     the issuing node
     */
    public Hlc {
        Objects.requireNonNull(node, "node");
        if (wallTime < 0 || counter < 0) {
            throw new IllegalArgumentException("Clock fields cannot be negative: " + wallTime + "/" + counter);
        }
    }

    @Override
    public int compareTo(Hlc o) {
        // written out: stamps are compared for every applied operation
        int c = Long.compare(wallTime, o.wallTime);
        if (c == 0) {
            c = Integer.compare(counter, o.counter);
        }
        return c != 0 ? c : node.compareTo(o.node);
    }

    /** @param other another stamp @return whether this stamp orders after {@code other} */
    public boolean isAfter(Hlc other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return wallTime + "." + counter + "@" + node;
    }
}
