package org.blazedb.store.impl;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.AbstractMap;
import java.util.Map;
import org.h2.mvstore.MVMap;
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
        org.h2.mvstore.Cursor<K, V> c = map.cursor(from, to, false);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return c.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                K key = c.next();
                return new AbstractMap.SimpleImmutableEntry<>(key, c.getValue());
            }
        };
    }
}
