package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.blazedb.api.Document;
import org.blazedb.api.Filter;
import org.blazedb.api.Query;
import org.blazedb.api.ValueOrder;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * {@code find} against a brute-force model: the same random documents and queries, answered by
 * filtering and sorting a plain list. With and without secondary indexes, mixing value types (ints,
 * floats, strings, null) so that the index order is exercised across kinds.
 */
class QueryPropertyTest {
    private static Path dir;
    private static StoreEngine store;
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("blaze-query-property");
        store = StoreEngine.open(StoreOptions.defaults("query", dir));
    }

    @AfterContainer
    static void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** A document: id, optional values of fields a and b, and whether it is deleted afterwards. */
    record Spec(String id, Optional<Value> a, Optional<Value> b, boolean deleted) {
    }

    @Provide
    Arbitrary<Value> values() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-3, 3).map(Value::of),
                // -0.0 and NaN: the edges of float order (-0.0 equals the integer 0 as 0.0 does)
                Arbitraries.of(-1.5, 0.0, -0.0, 2.0, 2.5, Double.NaN).map(Value::of),
                Arbitraries.of("x", "y", "z").map(Value::of),
                Arbitraries.just(Value.nullValue()));
    }

    @Provide
    Arbitrary<List<Spec>> documents() {
        Arbitrary<Optional<Value>> field = values().optional(0.8);
        return Combinators.combine(Arbitraries.integers().between(0, 40).map(i -> "d" + i), field, field,
                        Arbitraries.of(true, false, false, false, false))
                .as(Spec::new).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Query> queries() {
        Arbitrary<Filter> filter = Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.of(Filter.Operator.values()), values())
                .as(Filter::new);
        Arbitrary<Optional<String>> order = Arbitraries.of("a", "b").optional(0.6);
        return Combinators.combine(filter.list().ofMaxSize(2), order, Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, 12).injectNull(0.5))
                .as((filters, o, desc, limit) -> new Query(filters, o, desc, limit == null ? Query.NO_LIMIT : limit));
    }

    @Provide
    Arbitrary<List<Query>> queryLists() {
        return queries().list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 150)
    void findMatchesABruteForceModel(@ForAll("documents") List<Spec> specs, @ForAll("queryLists") List<Query> queries,
                                     @ForAll boolean indexA, @ForAll boolean indexB, @ForAll boolean indexFirst) {
        var c = store.collection("c" + COLLECTIONS.incrementAndGet());
        if (indexFirst) {
            index(c, indexA, indexB);
        }
        WriteBatch batch = new WriteBatch();
        WriteBatch deletes = new WriteBatch();
        java.util.Map<String, MapValue> model = new java.util.TreeMap<>(Value.KEY_ORDER);
        for (Spec s : specs) {
            MapValue.Builder b = MapValue.builder();
            s.a().ifPresent(v -> b.put("a", v));
            s.b().ifPresent(v -> b.put("b", v));
            batch.put(c.name(), s.id(), b.build());
            model.put(s.id(), b.build());
            if (s.deleted()) {
                deletes.delete(c.name(), s.id());
            }
        }
        store.write(batch);
        store.write(deletes);
        deletes.mutations().forEach(m -> model.remove(m.documentId()));
        if (!indexFirst) {
            index(c, indexA, indexB);
        }
        assertEquals(model.size(), c.count());
        for (Query q : queries) {
            List<String> expected = bruteForce(model, q);
            List<String> actual = new ArrayList<>();
            try (var cursor = c.find(q)) {
                cursor.forEachRemaining(d -> actual.add(d.id()));
            }
            assertEquals(expected, actual, q + " with indexes " + c.indexes());
        }
    }

    private static void index(org.blazedb.api.Collection c, boolean a, boolean b) {
        if (a) {
            c.createIndex("a");
        }
        if (b) {
            c.createIndex("b");
        }
    }

    static List<String> bruteForce(java.util.Map<String, MapValue> model, Query q) {
        List<java.util.Map.Entry<String, MapValue>> hits = new ArrayList<>();
        for (var e : model.entrySet()) {
            boolean all = true;
            for (Filter f : q.filters()) {
                Value v = e.getValue().entries().get(f.field());
                all &= v != null && f.test(v);
            }
            if (all && q.orderBy().map(o -> e.getValue().entries().containsKey(o)).orElse(true)) {
                hits.add(e);
            }
        }
        if (q.orderBy().isPresent()) {
            String o = q.orderBy().get();
            Comparator<java.util.Map.Entry<String, MapValue>> order = Comparator
                    .<java.util.Map.Entry<String, MapValue>, Value>comparing(e -> e.getValue().entries().get(o), ValueOrder.INSTANCE)
                    .thenComparing(java.util.Map.Entry::getKey, Value.KEY_ORDER);
            hits.sort(q.descending() ? order.reversed() : order);
        }
        return hits.stream().limit(q.limit()).map(java.util.Map.Entry::getKey).toList();
    }

    /**
     * The three zeros (integer 0, 0.0, -0.0) in an index, each id holding each of them in turn:
     * every query on them answers as the brute-force model does. An index is a B-tree ordered by
     * {@code ValueOrder}, so it needs the order to be transitive; when 0 equalled both 0.0 and -0.0
     * but -0.0 sorted below 0.0, an equality query on -0.0 found nothing through the index.
     */
    @Example
    void theThreeZerosAreFoundThroughAnIndexAsByAScan() {
        List<Value> zeros = List.of(Value.of(0), Value.of(0.0), Value.of(-0.0));
        String[] ids = {"a", "b", "c"};
        int[][] permutations = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] p : permutations) {
            var c = store.collection("z" + COLLECTIONS.incrementAndGet());
            c.createIndex("a");
            java.util.Map<String, MapValue> model = new java.util.TreeMap<>(Value.KEY_ORDER);
            for (int i = 0; i < ids.length; i++) {
                MapValue fields = MapValue.builder().put("a", zeros.get(p[i])).build();
                c.put(ids[i], fields);
                model.put(ids[i], fields);
            }
            for (Value operand : zeros) {
                for (Filter.Operator op : Filter.Operator.values()) {
                    Query q = new Query(List.of(new Filter("a", op, operand)), Optional.of("a"), false, Query.NO_LIMIT);
                    List<String> actual = new ArrayList<>();
                    try (var cursor = c.find(q)) {
                        cursor.forEachRemaining(d -> actual.add(d.id()));
                    }
                    assertEquals(bruteForce(model, q), actual, q + " with ids holding " + java.util.Arrays.toString(p));
                }
            }
        }
    }

    /** Documents are fetched, not just listed: the cursor returns the stored fields. */
    @Property(tries = 20)
    void findReturnsTheStoredDocuments(@ForAll("documents") List<Spec> specs) {
        var c = store.collection("f" + COLLECTIONS.incrementAndGet());
        c.createIndex("a");
        WriteBatch batch = new WriteBatch();
        for (Spec s : specs) {
            batch.put(c.name(), s.id(), s.a().map(v -> MapValue.builder().put("a", v).build()).orElse(MapValue.EMPTY));
        }
        store.write(batch);
        try (var cursor = c.find(Query.builder().orderBy("a").build())) {
            while (cursor.hasNext()) {
                Document d = cursor.next();
                assertEquals(c.get(d.id()).orElseThrow(), d);
            }
        }
    }
}
