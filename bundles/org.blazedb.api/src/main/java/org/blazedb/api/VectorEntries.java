package org.blazedb.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * {@link VersionVector#entries()}: an unmodifiable map view of a vector's two sorted arrays. The
 * walks a caller makes per write (its size, {@link #forEach}, iterating its entries, a look-up)
 * read the arrays directly; only the range views ({@link #headMap} and the like, which nothing on
 * a hot path asks for) copy the entries into a tree.
 */
final class VectorEntries extends AbstractMap<NodeId, Long> implements SortedMap<NodeId, Long> {
    private final VersionVector vector;

    VectorEntries(VersionVector vector) {
        this.vector = vector;
    }

    @Override
    public int size() {
        return vector.size();
    }

    @Override
    public Long get(Object key) {
        if (!(key instanceof NodeId node)) {
            return null;
        }
        long seq = vector.get(node);
        return seq == 0 ? null : seq;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof NodeId node && vector.get(node) != 0;
    }

    @Override
    public void forEach(BiConsumer<? super NodeId, ? super Long> action) {
        for (int i = 0; i < vector.size(); i++) {
            action.accept(vector.node(i), vector.sequence(i));
        }
    }

    @Override
    public Set<Entry<NodeId, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return vector.size();
            }

            @Override
            public Iterator<Entry<NodeId, Long>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < vector.size();
                    }

                    @Override
                    public Entry<NodeId, Long> next() {
                        if (next >= vector.size()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(vector.node(i), vector.sequence(i));
                    }
                };
            }
        };
    }

    @Override
    public Comparator<? super NodeId> comparator() {
        return null; // natural order, as a TreeMap of node ids
    }

    @Override
    public NodeId firstKey() {
        if (vector.size() == 0) {
            throw new NoSuchElementException("The version vector is empty");
        }
        return vector.node(0);
    }

    @Override
    public NodeId lastKey() {
        if (vector.size() == 0) {
            throw new NoSuchElementException("The version vector is empty");
        }
        return vector.node(vector.size() - 1);
    }

    @Override
    public SortedMap<NodeId, Long> subMap(NodeId fromKey, NodeId toKey) {
        return Collections.unmodifiableSortedMap(tree().subMap(fromKey, toKey));
    }

    @Override
    public SortedMap<NodeId, Long> headMap(NodeId toKey) {
        return Collections.unmodifiableSortedMap(tree().headMap(toKey));
    }

    @Override
    public SortedMap<NodeId, Long> tailMap(NodeId fromKey) {
        return Collections.unmodifiableSortedMap(tree().tailMap(fromKey));
    }

    private TreeMap<NodeId, Long> tree() {
        TreeMap<NodeId, Long> copy = new TreeMap<>();
        forEach(copy::put);
        return copy;
    }

    // The view is read-only: every modification is refused, with the same message, including
    // those AbstractMap would let through when they change nothing (removing an absent key).

    @Override
    public Long put(NodeId key, Long value) {
        throw immutable();
    }

    @Override
    public Long remove(Object key) {
        throw immutable();
    }

    @Override
    public void putAll(Map<? extends NodeId, ? extends Long> m) {
        throw immutable();
    }

    @Override
    public void clear() {
        throw immutable();
    }

    private static UnsupportedOperationException immutable() {
        return new UnsupportedOperationException("A version vector is immutable");
    }
}
