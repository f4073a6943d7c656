package org.blazedb.store.impl;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.AbstractMap;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStoreException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Cursor;
import org.blazedb.api.ErrorCode;

/** Lazily filtered and mapped {@link Cursor}s over MVStore iterators. */
final class Cursors {
    private Cursors() {
    }

    /**
     * @param source  the underlying iterator
     * @param mapping turns an element into a result, or null to skip it
     * @param limit   the most results
     * @param <S>     source type
     * @param <T>     result type
     * @return a cursor
     */
    static <S, T> Cursor<T> of(Iterator<S> source, Function<S, T> mapping, long limit) {
        return new Cursor<>() {
            private T next;
            private long returned;
            private boolean closed;

            @Override
            public boolean hasNext() {
                if (closed) {
                    return false;
                }
                while (next == null && returned < limit && source.hasNext()) {
                    next = mapping.apply(source.next());
                }
                return next != null;
            }

            @Override
            public T next() {
                if (closed) {
                    throw new BlazeException(ErrorCode.STORE_CLOSED, "The cursor is closed");
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T t = next;
                next = null;
                returned++;
                return t;
            }

            @Override
            public void close() {
                closed = true;
                next = null;
            }
        };
    }

    static <T> Cursor<T> of(Iterator<T> source) {
        return of(source, Function.identity(), Long.MAX_VALUE);
    }

    /**
     * @param map  a map
     * @param from first key, null for the start
     * @param to   last key, null for the end
     * @param <K>  key type
     * @param <V>  value type
     * @return its entries from {@code from} to {@code to}, read from the map's state when called
     */
    static <K, V> Iterator<Map.Entry<K, V>> entries(MVMap<K, V> map, K from, K to) {
        return entries(() -> map, from, to);
    }

    /**
     * Like {@link #entries(MVMap, Object, Object)}, but survives a {@link FileCompaction}: when the
     * file it reads is closed because a compacted file replaced it, it goes on from the last key it
     * returned in the map {@code map} supplies now (the same data, and any newer writes).
     *
     * @param map  supplies the map from the store's current file; null when it no longer exists
     * @param from first key, null for the start
     * @param to   last key, null for the end
     * @param <K>  key type
     * @param <V>  value type
     * @return its entries from {@code from} to {@code to}
     */
    static <K, V> Iterator<Map.Entry<K, V>> entries(Supplier<MVMap<K, V>> map, K from, K to) {
        MVMap<K, V> first = map.get();
        return new Iterator<>() {
            private MVMap<K, V> source = first;
            private org.h2.mvstore.Cursor<K, V> c = first == null ? null : first.cursor(from, to, false);
            private K last;
            private Map.Entry<K, V> next;

            @Override
            public boolean hasNext() {
                while (next == null && c != null) {
                    try {
                        if (!c.hasNext()) {
                            c = null;
                            break;
                        }
                        K key = c.next();
                        next = new AbstractMap.SimpleImmutableEntry<>(key, c.getValue());
                    } catch (MVStoreException e) {
                        resume(e);
                    }
                }
                return next != null;
            }

            private void resume(MVStoreException e) {
                MVMap<K, V> now = map.get();
                if (e.getErrorCode() != DataUtils.ERROR_CLOSED || now == null || now == source) {
                    throw e;
                }
                source = now;
                c = now.cursor(last == null ? from : last, to, false);
                if (last != null && c.hasNext() && now.getKeyType().compare(c.next(), last) != 0) {
                    c = now.cursor(last, to, false); // the last key is gone: start at its successor
                }
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, V> e = next;
                next = null;
                last = e.getKey();
                return e;
            }
        };
    }
}
