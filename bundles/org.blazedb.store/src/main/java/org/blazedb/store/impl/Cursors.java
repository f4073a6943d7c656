package org.blazedb.store.impl;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.AbstractMap;
import java.util.Map;
import java.nio.file.Path;
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
     * Like {@link #entries(MVMap, Object, Object)}, but survives the file being closed under it: when
     * a {@link FileCompaction} retires the file it reads, or a failed commit's recovery reopens the
     * store's file, it goes on from the last key it returned in the map {@code map} supplies now (the
     * same data, and any newer writes). Any other storage-engine failure, and a closed store, come
     * out as a {@link BlazeException} ({@link StoreErrors#map}), never as MVStore's own exception.
     *
     * @param map  supplies the map from the store's current file ({@link StoreEngine#readableFiles}),
     *             which throws STORE_CLOSED once the store is closed; null when the map no longer
     *             exists there (a collection created by a commit that failed): the entries end
     * @param from first key, null for the start
     * @param to   last key, null for the end
     * @param <K>  key type
     * @param <V>  value type
     * @return its entries from {@code from} to {@code to}
     */
    static <K, V> Iterator<Map.Entry<K, V>> entries(Supplier<MVMap<K, V>> map, K from, K to) {
        return entries(map, from, to, false);
    }

    /**
     * Like {@link #entries(Supplier, Object, Object)}, in either direction.
     *
     * @param reverse true to go from {@code from} down to {@code to} (then {@code from} is the greater)
     */
    static <K, V> Iterator<Map.Entry<K, V>> entries(Supplier<MVMap<K, V>> map, K from, K to, boolean reverse) {
        return new Iterator<>() {
            /** The map read; null once there is nothing more to read. */
            private MVMap<K, V> source = map.get();
            /** A cursor over {@link #source}; null until it is opened (again). */
            private org.h2.mvstore.Cursor<K, V> c;
            private K last;
            private Map.Entry<K, V> next;

            @Override
            public boolean hasNext() {
                while (next == null && source != null) {
                    try {
                        if (c == null) {
                            c = open(source);
                        }
                        if (!c.hasNext()) {
                            source = null;
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

            /** @return a cursor over {@code m} from the start, or from the key after the last one returned */
            private org.h2.mvstore.Cursor<K, V> open(MVMap<K, V> m) {
                if (last == null) {
                    return m.cursor(from, to, reverse);
                }
                org.h2.mvstore.Cursor<K, V> at = m.cursor(last, to, reverse);
                if (at.hasNext() && m.getKeyType().compare(at.next(), last) != 0) {
                    return m.cursor(last, to, reverse); // the last key is gone: the first key is the one after it
                }
                return at;
            }

            /** After {@code e}: takes the store's current map, to go on from the last key returned. */
            private void resume(MVStoreException e) {
                if (e.getErrorCode() != DataUtils.ERROR_CLOSED) {
                    throw StoreErrors.map(e, folderOf(source), "reading");
                }
                MVMap<K, V> now = map.get(); // waits for a reopened file; STORE_CLOSED if the store closed
                if (now == source) {
                    throw StoreErrors.map(e, folderOf(source), "reading");
                }
                source = now; // null: the map is gone from the current file, nothing more to read
                c = null;
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

    /** @return the data folder of the file {@code map} is in, for error messages */
    private static Path folderOf(MVMap<?, ?> map) {
        String file = map.getStore().getFileStore() == null ? null : map.getStore().getFileStore().getFileName();
        return file == null ? Path.of("(memory)") : Path.of(file).toAbsolutePath().getParent();
    }
}
