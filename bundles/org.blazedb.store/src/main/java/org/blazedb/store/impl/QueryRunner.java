package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Filter;
import org.blazedb.api.Query;
import org.blazedb.api.ValueOrder;
import org.blazedb.api.value.Value;
import org.h2.mvstore.MVMap;

/**
 * Runs a {@link Query} over one collection, streaming wherever it can:
 *
 * <ol>
 *   <li>ordered by an indexed field: walks that index (within the range the filters on the field
 *       allow), fetching and checking each document;</li>
 *   <li>not ordered, with an equality filter on an indexed field: walks the index entries of that
 *       value, which are in id order;</li>
 *   <li>otherwise: scans the collection in id order (through an index range when one narrows it and
 *       the order is not by id), and when ordering by an unindexed field, sorts the matches: the
 *       best {@code limit} in a bounded heap, or all of them up to {@link #MAX_SORTED_RESULTS}.</li>
 * </ol>
 *
 * Every document is checked against every filter after it is fetched, so an index only narrows
 * the candidates. Ties in the order field are broken by id; {@code descending} reverses both.
 */
final class QueryRunner {
    /** The most matches sorted in memory for an order by an unindexed field without a limit. */
    static final int MAX_SORTED_RESULTS = 100_000;

    private final String collection;
    private final Query query;
    private final StoreEngine engine;
    private final Map<String, Integer> indexes;

    /**
     * The runner holds no map of the store's file: every walk takes the current file's maps
     * ({@link StoreEngine#readableFiles}), so that a cursor outlives a compaction retiring the file or
     * a failed commit's recovery reopening it (it goes on from its last key), as scans do.
     */
    QueryRunner(StoreEngine engine, String collection, Query query) {
        this.collection = collection;
        this.query = Objects.requireNonNull(query, "query");
        this.engine = engine;
        CollectionInfo info = engine.catalog.get(collection);
        this.indexes = info == null ? Map.of() : info.indexes();
        for (Filter f : query.filters()) {
            if (f.field().isEmpty()) {
                throw new BlazeException(ErrorCode.INVALID_QUERY, "A filter needs a field name");
            }
        }
        if (query.orderBy().filter(String::isEmpty).isPresent()) {
            throw new BlazeException(ErrorCode.INVALID_QUERY, "orderBy needs a field name");
        }
    }

    Cursor<Document> run() {
        if (docs() == null || query.limit() == 0) {
            return Cursors.of(Collections.emptyIterator());
        }
        Optional<String> order = query.orderBy();
        if (order.isPresent() && indexes.containsKey(order.get())) {
            return Cursors.of(indexWalk(order.get(), query.descending()), d -> d, query.limit());
        }
        if (order.isEmpty()) {
            Optional<Filter> eq = query.filters().stream()
                    .filter(f -> f.operator() == Filter.Operator.EQ && indexes.containsKey(f.field())).findFirst();
            Iterator<Document> source = eq.isPresent() ? indexWalk(eq.get().field(), false) : scan();
            return Cursors.of(source, d -> d, query.limit());
        }
        return Cursors.of(sorted(order.get()));
    }

    private boolean matches(Document d) {
        for (Filter f : query.filters()) {
            Value v = d.fields().entries().get(f.field());
            if (v == null || !f.test(v)) {
                return false;
            }
        }
        return true;
    }

    private Iterator<Document> scan() {
        return Cursors.of(Cursors.entries(this::docs, null, null), e -> {
            if (DocumentRecords.isTombstone(e.getValue())) {
                return null;
            }
            Document d = DocumentRecords.decodeDocument(collection, e.getKey(), e.getValue());
            return matches(d) ? d : null;
        }, Long.MAX_VALUE);
    }

    /** Walks the index on {@code field} within the bounds the filters on it set. */
    private Iterator<Document> indexWalk(String field, boolean descending) {
        IndexKey low = null;
        IndexKey high = null;
        for (Filter f : query.filters()) {
            if (!f.field().equals(field)) {
                continue;
            }
            IndexKey lo = switch (f.operator()) {
                case EQ, GTE -> IndexKey.before(f.operand());
                case GT -> IndexKey.after(f.operand());
                default -> null;
            };
            IndexKey hi = switch (f.operator()) {
                case EQ, LTE -> IndexKey.after(f.operand());
                case LT -> IndexKey.before(f.operand());
                default -> null;
            };
            if (lo != null && (low == null || lo.compareTo(low) > 0)) {
                low = lo;
            }
            if (hi != null && (high == null || hi.compareTo(high) < 0)) {
                high = hi;
            }
        }
        if (low != null && high != null && low.compareTo(high) > 0) {
            return Collections.emptyIterator();
        }
        int number = indexes.get(field);
        Iterator<Map.Entry<IndexKey, byte[]>> entries = descending
                ? Cursors.entries(() -> index(number, field), high, low, true)
                : Cursors.entries(() -> index(number, field), low, high, false);
        return Cursors.of(entries, entry -> {
            IndexKey key = entry.getKey();
            // from the current file, as a point read: it waits for a file a recovery reopens
            byte[] record = engine.read(f -> {
                MVMap<String, byte[]> docs = f.docs(collection, false);
                return docs == null ? null : docs.get(key.id());
            });
            if (record == null || DocumentRecords.isTombstone(record)) {
                return null;
            }
            Document d = DocumentRecords.decodeDocument(collection, key.id(), record);
            Value current = d.fields().entries().get(field);
            // An entry whose document changed since the walk began is skipped; the new entry stands for it.
            if (current == null || ValueOrder.INSTANCE.compare(current, key.value()) != 0 || !matches(d)) {
                return null;
            }
            return d;
        }, Long.MAX_VALUE);
    }

    /** @return the collection's documents in the store's current file; null if it has none */
    private MVMap<String, byte[]> docs() {
        return engine.readableFiles().docs(collection, false);
    }

    /**
     * @return the index {@code number} in the store's current file
     * @throws BlazeException INVALID_QUERY when the index was dropped while the query walked it and
     *         the file it walked has since been replaced: the rest of the walk cannot be found
     */
    private MVMap<IndexKey, byte[]> index(int number, String field) {
        MVMap<IndexKey, byte[]> index = engine.readableFiles().existingIndex(number);
        if (index == null) {
            throw new BlazeException(ErrorCode.INVALID_QUERY, "The index on '" + field + "' of '" + collection
                    + "' was dropped while a query read it: run the query again");
        }
        return index;
    }

    private Iterator<Document> sorted(String field) {
        Comparator<Document> order = Comparator.<Document, Value>comparing(d -> d.fields().entries().get(field), ValueOrder.INSTANCE)
                .thenComparing(Document::id, Value.KEY_ORDER);
        if (query.descending()) {
            order = order.reversed();
        }
        Iterator<Document> source = candidates();
        long limit = query.limit();
        if (limit <= MAX_SORTED_RESULTS) {
            // The best `limit` matches: a heap whose head is the worst kept.
            PriorityQueue<Document> best = new PriorityQueue<>(order.reversed());
            while (source.hasNext()) {
                Document d = source.next();
                if (d.fields().entries().containsKey(field)) {
                    best.add(d);
                    if (best.size() > limit) {
                        best.poll();
                    }
                }
            }
            List<Document> result = new ArrayList<>(best);
            result.sort(order);
            return result.iterator();
        }
        List<Document> all = new ArrayList<>();
        while (source.hasNext()) {
            Document d = source.next();
            if (d.fields().entries().containsKey(field)) {
                if (all.size() == MAX_SORTED_RESULTS) {
                    throw new BlazeException(ErrorCode.INVALID_QUERY, "Ordering more than " + MAX_SORTED_RESULTS
                            + " documents of '" + collection + "' by '" + field + "' needs an index (createIndex(\"" + field
                            + "\")) or a limit");
                }
                all.add(d);
            }
        }
        all.sort(order);
        return all.iterator();
    }

    /** The documents that can match: through an index when a filter has one, else a scan. */
    private Iterator<Document> candidates() {
        for (Filter f : query.filters()) {
            if (indexes.containsKey(f.field())) {
                return indexWalk(f.field(), false);
            }
        }
        return scan();
    }
}
