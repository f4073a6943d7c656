package org.blazedb.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: for each origin node, the highest sequence number such that every
 * operation of that origin up to it is held. Origins not listed count as 0. Sync compares the
 * vectors of two replicas to know exactly which operations one lacks.
 *
 * <p>Held as two arrays in ascending node order (no zero entries), so that the vectors made per
 * synced write ({@link #with}, {@link #merge}) cost two small arrays rather than a tree of boxed
 * entries; {@link #entries()} is a view of them.
 */
public final class VersionVector {
    /** The vector of a replica that holds nothing. */
    public static final VersionVector EMPTY = new VersionVector(new NodeId[0], new long[0]);

    /** Above this many entries, {@link #of} sorts through a tree instead of by insertion. */
    private static final int INSERTION_SORT_MAX = 16;

    /** Ascending by {@link NodeId#compareTo}, no duplicates. */
    private final NodeId[] nodes;
    /** {@code sequences[i]} belongs to {@code nodes[i]}; every one positive. */
    private final long[] sequences;
    /**
     * The map view ({@link VectorEntries}), made on the first {@link #entries()} call. Not
     * volatile: the view holds this vector in a final field, so a thread reading another's
     * reference sees it whole, and one that reads null makes an equal view itself.
     */
    private SortedMap<NodeId, Long> entries;

    private VersionVector(NodeId[] nodes, long[] sequences) {
        this.nodes = nodes;
        this.sequences = sequences;
    }

    /**
     * @param entries origin to highest contiguous sequence; zero entries are dropped
     * @return the vector
     * @throws IllegalArgumentException on a negative sequence
     */
    public static VersionVector of(Map<NodeId, Long> entries) {
        int size = entries.size();
        if (size > INSERTION_SORT_MAX && !isNaturallySorted(entries)) {
            return of(new TreeMap<>(entries)); // n log n for large maps; validated in the recursive call
        }
        NodeId[] nodes = new NodeId[size];
        long[] sequences = new long[size];
        int n = 0;
        for (Map.Entry<NodeId, Long> e : entries.entrySet()) {
            NodeId node = Objects.requireNonNull(e.getKey(), "node");
            long seq = e.getValue();
            if (seq < 0) {
                throw new IllegalArgumentException("Negative sequence " + seq + " for " + node);
            }
            if (seq == 0) {
                continue;
            }
            // insertion into the sorted prefix: nothing moves when the map is sorted already
            int i = n;
            while (i > 0 && nodes[i - 1].compareTo(node) > 0) {
                nodes[i] = nodes[i - 1];
                sequences[i] = sequences[i - 1];
                i--;
            }
            nodes[i] = node;
            sequences[i] = seq;
            n++;
        }
        if (n == 0) {
            return EMPTY;
        }
        return n == size ? new VersionVector(nodes, sequences)
                : new VersionVector(Arrays.copyOf(nodes, n), Arrays.copyOf(sequences, n));
    }

    private static boolean isNaturallySorted(Map<NodeId, Long> entries) {
        return entries instanceof SortedMap<NodeId, Long> sorted && sorted.comparator() == null;
    }

    /** @param origin a node @return the highest contiguous sequence held from it, 0 if none */
    public long get(NodeId origin) {
        int i = indexOf(origin);
        return i >= 0 ? sequences[i] : 0L;
    }

    /** @return the number of non-zero entries */
    public int size() {
        return nodes.length;
    }

    /**
     * @param index from 0 to {@link #size()} - 1
     * @return the origin of the entry at {@code index}, in ascending node order
     * @throws IndexOutOfBoundsException if {@code index} is not an entry's
     */
    public NodeId node(int index) {
        return nodes[index];
    }

    /**
     * @param index from 0 to {@link #size()} - 1
     * @return the (positive) sequence of the entry at {@code index}, whose origin is {@link #node(int)}
     * @throws IndexOutOfBoundsException if {@code index} is not an entry's
     */
    public long sequence(int index) {
        return sequences[index];
    }

    /**
     * @return the non-zero entries, unmodifiable, ordered by node id: a view of this vector (its
     *         size, look-ups and walks read the vector; {@link #size()}, {@link #node(int)} and
     *         {@link #sequence(int)} do the same without boxing each sequence)
     */
    public SortedMap<NodeId, Long> entries() {
        SortedMap<NodeId, Long> view = entries;
        if (view == null) {
            view = new VectorEntries(this);
            entries = view;
        }
        return view;
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
        int i = indexOf(origin);
        if (i >= 0) {
            if (sequences[i] == sequence) {
                return this;
            }
            if (sequence == 0) {
                return without(i);
            }
            long[] seqs = sequences.clone();
            seqs[i] = sequence;
            return new VersionVector(nodes, seqs); // the node array is immutable: shared
        }
        if (sequence == 0) {
            return this;
        }
        int at = -i - 1;
        int n = nodes.length;
        NodeId[] ns = new NodeId[n + 1];
        long[] seqs = new long[n + 1];
        System.arraycopy(nodes, 0, ns, 0, at);
        System.arraycopy(sequences, 0, seqs, 0, at);
        ns[at] = origin;
        seqs[at] = sequence;
        System.arraycopy(nodes, at, ns, at + 1, n - at);
        System.arraycopy(sequences, at, seqs, at + 1, n - at);
        return new VersionVector(ns, seqs);
    }

    private VersionVector without(int index) {
        int n = nodes.length;
        if (n == 1) {
            return EMPTY;
        }
        NodeId[] ns = new NodeId[n - 1];
        long[] seqs = new long[n - 1];
        System.arraycopy(nodes, 0, ns, 0, index);
        System.arraycopy(sequences, 0, seqs, 0, index);
        System.arraycopy(nodes, index + 1, ns, index, n - index - 1);
        System.arraycopy(sequences, index + 1, seqs, index, n - index - 1);
        return new VersionVector(ns, seqs);
    }

    /**
     * @param other another vector
     * @return the entry-wise maximum of both: one of the two itself when it covers the other
     */
    public VersionVector merge(VersionVector other) {
        if (dominates(other)) {
            return this;
        }
        if (other.dominates(this)) {
            return other;
        }
        // a walk over both sorted arrays, as in a merge sort
        NodeId[] ns = new NodeId[nodes.length + other.nodes.length];
        long[] seqs = new long[ns.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < nodes.length || j < other.nodes.length) {
            int c = i == nodes.length ? 1 : j == other.nodes.length ? -1 : nodes[i].compareTo(other.nodes[j]);
            if (c < 0) {
                ns[n] = nodes[i];
                seqs[n++] = sequences[i++];
            } else if (c > 0) {
                ns[n] = other.nodes[j];
                seqs[n++] = other.sequences[j++];
            } else {
                ns[n] = nodes[i];
                seqs[n++] = Math.max(sequences[i++], other.sequences[j++]);
            }
        }
        return n == ns.length ? new VersionVector(ns, seqs)
                : new VersionVector(Arrays.copyOf(ns, n), Arrays.copyOf(seqs, n));
    }

    /** @param other another vector @return whether every entry of {@code other} is at most ours */
    public boolean dominates(VersionVector other) {
        if (other.nodes.length > nodes.length) {
            return false; // other has an origin we lack (every entry is positive)
        }
        int i = 0;
        for (int j = 0; j < other.nodes.length; j++) {
            NodeId node = other.nodes[j];
            while (i < nodes.length && nodes[i].compareTo(node) < 0) {
                i++;
            }
            if (i == nodes.length || !nodes[i].equals(node) || sequences[i] < other.sequences[j]) {
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
        for (int i = 0; i < nodes.length; i++) {
            missing += Math.max(0, sequences[i] - other.get(nodes[i]));
        }
        return missing;
    }

    /** @return the index of {@code origin}, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch} says */
    private int indexOf(NodeId origin) {
        return Arrays.binarySearch(nodes, origin); // nodes ascend in NodeId's natural order
    }

    @Override
    public boolean equals(Object o) {
        // one form per vector (sorted, no zeros), so equal vectors have equal arrays
        return this == o || o instanceof VersionVector other
                && Arrays.equals(sequences, other.sequences) && Arrays.equals(nodes, other.nodes);
    }

    /** @return the hash code of {@link #entries()}, as {@link Map#hashCode()} defines it */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < nodes.length; i++) {
            h += nodes[i].hashCode() ^ Long.hashCode(sequences[i]);
        }
        return h;
    }

    /** @return the entries as a map prints them: {@code {node=sequence, ...}} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < nodes.length; i++) {
            s.append(i == 0 ? "" : ", ").append(nodes[i]).append('=').append(sequences[i]);
        }
        return s.append('}').toString();
    }
}
