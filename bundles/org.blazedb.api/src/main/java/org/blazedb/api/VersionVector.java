package org.blazedb.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: for each origin node, the highest sequence number such that every
 * operation of that origin up to it is held. Origins not listed count as 0. Sync compares the
 * vectors of two replicas to know exactly which operations one lacks.
 */
public final class VersionVector {
    /** The vector of a replica that holds nothing. */
    public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    private final SortedMap<NodeId, Long> entries;

    private VersionVector(TreeMap<NodeId, Long> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    /**
     * @param entries origin to highest contiguous sequence; zero entries are dropped
     * @return the vector
     * @throws IllegalArgumentException on a negative sequence
     */
    public static VersionVector of(Map<NodeId, Long> entries) {
        TreeMap<NodeId, Long> copy = new TreeMap<>();
        entries.forEach((node, seq) -> {
            Objects.requireNonNull(node, "node");
            if (seq < 0) {
                throw new IllegalArgumentException("Negative sequence " + seq + " for " + node);
            }
            if (seq > 0) {
                copy.put(node, seq);
            }
        });
        return new VersionVector(copy);
    }

    /** @param origin a node @return the highest contiguous sequence held from it, 0 if none */
    public long get(NodeId origin) {
        return entries.getOrDefault(origin, 0L);
    }

    /** @return the non-zero entries, unmodifiable, ordered by node id */
    public SortedMap<NodeId, Long> entries() {
        return entries;
    }

    /** @param id an operation @return whether this vector covers it */
    public boolean contains(OpId id) {
        return get(id.origin()) >= id.sequence();
    }

    /**
     * @param origin   a node
     * @param sequence a sequence number
     * @return a vector equal to this one except that {@code origin} maps to {@code sequence}
     */
    public VersionVector with(NodeId origin, long sequence) {
        Objects.requireNonNull(origin, "node");
        if (sequence < 0) {
            throw new IllegalArgumentException("Negative sequence " + sequence + " for " + origin);
        }
        // one copy (of sorted entries, linear), where of(...) would copy the copy again entry by entry
        TreeMap<NodeId, Long> copy = new TreeMap<>(entries);
        if (sequence > 0) {
            copy.put(origin, sequence);
        } else {
            copy.remove(origin);
        }
        return new VersionVector(copy);
    }

    /** @param other another vector @return the entry-wise maximum of both */
    public VersionVector merge(VersionVector other) {
        TreeMap<NodeId, Long> copy = new TreeMap<>(entries);
        other.entries.forEach((node, seq) -> copy.merge(node, seq, Math::max));
        return new VersionVector(copy);
    }

    /** @param other another vector @return whether every entry of {@code other} is at most ours */
    public boolean dominates(VersionVector other) {
        for (Map.Entry<NodeId, Long> e : other.entries.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param other another vector
     * @return whether neither vector dominates the other (the histories they describe are concurrent)
     */
    public boolean isConcurrentWith(VersionVector other) {
        return !dominates(other) && !other.dominates(this);
    }

    /** @param other what another replica holds @return how many operations we hold that it lacks */
    public long countMissingFrom(VersionVector other) {
        long missing = 0;
        for (Map.Entry<NodeId, Long> e : entries.entrySet()) {
            missing += Math.max(0, e.getValue() - other.get(e.getKey()));
        }
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
