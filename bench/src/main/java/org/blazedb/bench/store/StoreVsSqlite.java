package org.blazedb.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.blazedb.api.Collection;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.store.impl.DocumentCacheStats;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;

/**
 * The store benchmarks of issue 5, each against SQLite (xerial sqlite-jdbc, WAL,
 * {@code synchronous=FULL}) in the same run, on the same disk:
 *
 * <ol>
 *   <li>{@code commit1}: durable single-document commits, one writer;</li>
 *   <li>{@code commit16}: the same with 16 writers (BlazeDB's group commit);</li>
 *   <li>{@code import}: N documents of about 200 bytes in batches of 1,000, into a store opened as a
 *       user gets it: the store's default MVStore page cache ({@link StoreOptions#defaults}), unless
 *       {@code --import-cache-mb} says otherwise;</li>
 *   <li>{@code reads}: point reads by id on the imported store, reopened with a large page cache
 *       ({@code --cache-mb}, 1 GiB by default) so that the reads are warm, from 2 threads: once with
 *       the store's cache of decoded documents off, once with it on and filled (its hit rate is
 *       printed), in the same run;</li>
 *   <li>{@code updates}: durable single-document puts of random existing documents of the imported
 *       store from 16 writers (each replaces a whole document), the store opened with its default
 *       page cache; every checkpoint rewrites the B-tree pages the updates touched, so this is where
 *       the size of those pages shows.</li>
 * </ol>
 *
 * Each import runs in a fresh JVM of its own (started with this JVM's options and class path), so
 * that each side pays for compiling its own code and for nothing of the other's. When both ran in
 * this JVM, the one that ran first compiled the code both share (building and encoding the
 * documents) and the second got it for nothing: on 2026-11-26 BlazeDB's ratio was 0.91x SQLite's
 * with BlazeDB first and 1.26x with SQLite first, same jar, same minutes. {@code --import-rounds R}
 * (default 3) repeats the pair R times, BlazeDB first in odd rounds and SQLite first in even ones;
 * the median of the rounds' ratios is reported, and the last round's files are the ones the later
 * scenarios use. {@code --import-jvm shared} imports in this JVM instead, BlazeDB first, as before.
 *
 * BlazeDB's import keeps {@code --in-flight K} batches in flight (default 4) with
 * {@link org.blazedb.api.Store#writeAsync}, as {@code blaze:import} does: it builds the next batch
 * while the store commits the last, and the store stages a batch while the one before is synced;
 * each batch is durable when its future completes, and the clock stops once the last is.
 * {@code --in-flight 1} writes each batch with {@code Store.write}. SQLite's side commits one
 * transaction per batch before it builds the next (its JDBC driver has no asynchronous commit).
 *
 * {@code --warmup N} first imports N documents into scratch stores, untimed, in the same JVM as the
 * timed import, so that the timed imports run on compiled code.
 *
 * The import does not use the reads' large cache: MVStore keeps the pages a commit writes in its
 * cache, and with 1 GiB of them the collector copies hundreds of MiB of pages at every young
 * collection, a cost of the benchmark's setting that a store opened with its defaults does not pay.
 *
 * SQLite stores the same BlazeBinary document bytes in {@code docs(id TEXT PRIMARY KEY, body BLOB)}
 * and its reads decode them, so both sides do the same encoding work. Usage:
 * {@code java -cp bench/target/benchmarks.jar org.blazedb.bench.store.StoreVsSqlite [--seconds S]
 * [--docs N] [--dir DIR] [--warmup N] [--import-rounds R] [--import-jvm fresh|shared] [--in-flight K] [--import-cache-mb MB] [--cache-mb MB] [--doc-cache-mb MB] [--keep] [scenario...]}; the stores it
 * creates under DIR are deleted at the end unless {@code --keep} is given.
 */
public final class StoreVsSqlite {
    private static int seconds = 5;
    /** The MVStore page cache of the read runs (--cache-mb), large enough for a warm store. */
    private static int cacheMb = 1024;
    /** The MVStore page cache of the import (--import-cache-mb): by default the store's own default. */
    private static int importCacheMb = StoreOptions.defaults("bench", Path.of(".")).cacheSizeMb();
    /**
     * The document cache of the read run with the cache on (--doc-cache-mb); 1,000,000 of the
     * benchmark's documents take about 1 GiB by the cache's estimate. The store's default is 32.
     */
    private static int docCacheMb = 1536;
    private static int docs = 1_000_000;
    /** Documents imported untimed into scratch stores of both before the timed import (--warmup). */
    private static int warmup;
    private static Path dir;
    /** Import pairs, each side in a fresh JVM (--import-rounds); 0 imports both in this JVM (--import-jvm shared). */
    private static int importRounds = 3;
    /** BlazeDB import batches in flight (--in-flight); 1 writes each with Store.write. */
    private static int batchesInFlight = 4;
    private static boolean keep;
    private static final List<Path> created = new ArrayList<>();

    private StoreVsSqlite() {
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        String childImport = null;
        Path childFolder = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case ImportChild.ARG -> {
                    childImport = args[++i];
                    childFolder = Path.of(args[++i]);
                }
                case "--import-rounds" -> importRounds = Integer.parseInt(args[++i]);
                case "--import-jvm" -> importRounds = switch (args[++i]) {
                    case "fresh" -> Math.max(importRounds, 1);
                    case "shared" -> 0;
                    default -> throw new IllegalArgumentException("--import-jvm takes fresh or shared, not " + args[i]);
                };
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--docs" -> docs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--cache-mb" -> cacheMb = Integer.parseInt(args[++i]);
                case "--import-cache-mb" -> importCacheMb = Integer.parseInt(args[++i]);
                case "--in-flight" -> batchesInFlight = Integer.parseInt(args[++i]);
                case "--doc-cache-mb" -> docCacheMb = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> scenarios.add(args[i]);
            }
        }
        if (childImport != null) {
            importInThisJvm(childImport, childFolder);
            return;
        }
        if (scenarios.isEmpty()) {
            scenarios = List.of("commit1", "commit16", "import", "reads");
        }
        boolean ownDir = dir == null || !Files.exists(dir); // one it creates, it deletes at the end
        if (dir == null) {
            dir = Files.createTempDirectory("blaze-bench");
        } else if (ownDir) {
            Files.createDirectories(dir);
        }
        System.out.printf(Locale.ROOT, "machine: %d cpus, %s %s, java %s; data in %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"), dir);
        try {
            for (String s : scenarios) {
                switch (s) {
                    case "commit1" -> commits(1);
                    case "commit16" -> commits(16);
                    case "import" -> importAndRead(false);
                    case "reads" -> importAndRead(true);
                    case "updates" -> updates(16);
                    default -> throw new IllegalArgumentException("Unknown scenario " + s);
                }
            }
        } finally {
            if (!keep) {
                // an import leaves about 750 MiB behind: the folders this run made go with it
                for (Path folder : created) {
                    BenchData.deleteFolder(folder);
                }
                if (ownDir) {
                    Files.delete(dir);
                }
            }
        }
    }

    /** @return a new folder under {@link #dir}, deleted at the end unless {@code --keep} was given */
    private static Path newFolder(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(dir, prefix);
        created.add(folder);
        return folder;
    }

    static MapValue document(long i) {
        // about 200 bytes encoded
        return MapValue.builder().put("title", "Document number " + i).put("n", i).put("ok", i % 2 == 0)
                .put("body", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua " + (i % 97))
                .put("tag", "t" + (i % 10)).build();
    }

    private static void report(String what, String unit, double blaze, double sqlite, String goal) {
        report(what, unit, blaze, sqlite, blaze / sqlite, goal);
    }

    /** @param ratio the ratio to report, when it is not {@code blaze / sqlite} (a median of rounds' ratios) */
    private static void report(String what, String unit, double blaze, double sqlite, double ratio, String goal) {
        System.out.printf(Locale.ROOT, "%-44s BlazeDB %,12.0f %s   SQLite %,12.0f %s   ratio %6.2fx   (%s)%n",
                what, blaze, unit, sqlite, unit, ratio, goal);
    }

    private static void printImportedFiles() throws Exception {
        System.out.printf(Locale.ROOT, "    files: BlazeDB %,d MiB, SQLite %,d MiB%n", size(blazeImported) >> 20, size(sqliteImported) >> 20);
    }

    // ---------------------------------------------------------------- durable commits

    /**
     * Durable commits, BlazeDB and SQLite measured in alternating one-second rounds (the disk's fsync
     * rate on a shared machine drifts by an order of magnitude within minutes); the median round of
     * each is reported.
     */
    private static void commits(int writers) throws Exception {
        Path b = newFolder("commit-blaze");
        Path s = newFolder("commit-sqlite");
        List<Double> blaze = new ArrayList<>();
        List<Double> sqlite = new ArrayList<>();
        List<Double> sqlite1 = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("bench", b))) {
            Collection c = store.collection("c");
            List<PreparedStatement> statements = upserts(s.resolve("db.sqlite"), writers, connections);
            AtomicLong next = new AtomicLong();
            Op blazeOp = (t, i) -> c.put("w" + t + "-" + next.incrementAndGet(), document(i));
            Op sqliteOp = (t, i) -> {
                PreparedStatement p = statements.get(t);
                p.setString(1, "w" + t + "-" + next.incrementAndGet());
                p.setBytes(2, BlazeBinary.encodeDocument(document(i)));
                p.executeUpdate(); // autocommit: one durable transaction each
            };
            run(writers, blazeOp, 1, 1); // warm up both
            run(writers, sqliteOp, 1, 1);
            for (int round = 0; round < seconds; round++) {
                blaze.add(run(writers, blazeOp, 0, 1));
                sqlite.add(run(writers, sqliteOp, 0, 1));
                if (writers > 1) {
                    sqlite1.add(run(1, sqliteOp, 0, 1));
                }
            }
        } finally {
            for (Connection conn : connections) {
                conn.close();
            }
        }
        String what = "durable 1-doc commits, " + writers + " writer" + (writers > 1 ? "s" : "");
        if (writers == 1) {
            report(what, "commits/s", median(blaze), median(sqlite), "goal: >= SQLite");
        } else {
            report(what, "commits/s", median(blaze), median(sqlite), "SQLite with " + writers + " writers");
            report(what + " vs SQLite 1 writer", "commits/s", median(blaze), median(sqlite1), "goal: >= 10x");
        }
        System.out.printf(Locale.ROOT, "    rounds BlazeDB %s%n    rounds SQLite  %s%n", rounds(blaze), rounds(sqlite));
    }

    /**
     * Opens one connection per writer to {@code db}, each with the document upsert prepared.
     *
     * @param connections receives the connections, for the caller to close
     * @return writer {@code t}'s statement at index {@code t}
     */
    private static List<PreparedStatement> upserts(Path db, int writers, List<Connection> connections) throws SQLException {
        List<PreparedStatement> statements = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            Connection conn = sqlite(db);
            connections.add(conn);
            statements.add(conn.prepareStatement(BenchData.SQLITE_UPSERT));
        }
        return statements;
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String rounds(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList().toString();
    }

    private interface Op {
        void run(int thread, long i) throws Exception;
    }

    /** Runs writers for the configured seconds, after a one-second warm-up. @return operations per second */
    private static double run(int threads, Op op) throws Exception {
        return run(threads, op, 1, seconds);
    }

    /** @return operations per second over {@code measure} seconds after {@code warmup} seconds */
    private static double run(int threads, Op op, int warmup, int measure) throws Exception {
        AtomicLong count = new AtomicLong();
        long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
        List<Thread> list = new ArrayList<>();
        Exception[] failure = new Exception[1];
        long end = warmupEnd + measure * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                long i = 0;
                try {
                    while (System.nanoTime() < end) {
                        op.run(me, i++);
                        if (System.nanoTime() >= warmupEnd) {
                            count.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            th.start();
            list.add(th);
        }
        for (Thread th : list) {
            th.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return count.get() / (double) measure;
    }

    // ---------------------------------------------------------------- import and reads

    private static Path blazeImported;
    private static Path sqliteImported;

    private static void importAndRead(boolean reads) throws Exception {
        if (blazeImported == null && importRounds > 0) {
            importInFreshJvms();
        }
        if (blazeImported == null) {
            blazeImported = newFolder("import-blaze");
            sqliteImported = newFolder("import-sqlite");
            id(0); // formats every id now, outside both timed imports (BlazeDB's ran first and paid for it)
            if (warmup > 0) {
                Path b = newFolder("warmup-blaze");
                Path s = newFolder("warmup-sqlite");
                blazeImport(b, Math.min(warmup, docs));
                sqliteImport(s, Math.min(warmup, docs));
                BenchData.deleteFolder(b);
                BenchData.deleteFolder(s);
                created.remove(b);
                created.remove(s);
            }
            double blaze = blazeImport(blazeImported, docs);
            double sqlite = sqliteImport(sqliteImported, docs);
            report(String.format(Locale.ROOT, "import %,d docs, batches of 1,000 (BlazeDB %d in flight), page cache %,d MiB%s", docs, batchesInFlight, importCacheMb,
                    warmup > 0 ? String.format(Locale.ROOT, ", after %,d untimed", warmup) : ""), "docs/s", blaze, sqlite, "goal: >= 1.5x SQLite");
            printImportedFiles();
        }
        if (!reads) {
            return;
        }
        double blaze = blazeReads(0);
        double cached = blazeReads(docCacheMb);
        double sqlite;
        List<Connection> connections = List.of(sqlite(sqliteImported.resolve("db.sqlite")), sqlite(sqliteImported.resolve("db.sqlite")));
        try {
            List<PreparedStatement> statements = new ArrayList<>();
            for (Connection conn : connections) {
                statements.add(conn.prepareStatement(BenchData.SQLITE_SELECT));
            }
            Op read = (t, i) -> {
                PreparedStatement p = statements.get(t);
                p.setString(1, id(ThreadLocalRandom.current().nextInt(docs)));
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("missing");
                    }
                    BlazeBinary.decodeDocument(rs.getBytes(1));
                }
            };
            try (Statement st = connections.get(0).createStatement(); ResultSet rs = st.executeQuery("SELECT id, body FROM docs")) {
                while (rs.next()) {
                    rs.getBytes(2);
                }
            }
            run(2, read);
            sqlite = run(2, read);
        } finally {
            for (Connection conn : connections) {
                conn.close();
            }
        }
        report(String.format(Locale.ROOT, "warm point reads by id, %,d docs, 2 threads, page cache %,d MiB, document cache off", docs, cacheMb),
                "reads/s", blaze, sqlite, "goal: >= 1,000,000 reads/s");
        report(String.format(Locale.ROOT, "warm point reads by id, %,d docs, 2 threads, page cache %,d MiB, document cache %,d MiB", docs, cacheMb,
                        docCacheMb),
                "reads/s", cached, sqlite, "goal: >= 1,000,000 reads/s");
        System.out.printf(Locale.ROOT, "    document cache on / off in the same run: %.2fx%n", cached / blaze);
    }

    /**
     * The import pairs of {@link #importRounds}, each side in a JVM of its own, alternating which
     * goes first; reports every round and the median ratio, and keeps the last round's files.
     */
    private static void importInFreshJvms() throws Exception {
        id(0); // the later scenarios' threads read the ids: formatted here, before any of them starts
        List<Double> ratios = new ArrayList<>();
        List<Double> blazeRates = new ArrayList<>();
        List<Double> sqliteRates = new ArrayList<>();
        for (int round = 1; round <= importRounds; round++) {
            if (blazeImported != null) {
                for (Path folder : List.of(blazeImported, sqliteImported)) {
                    BenchData.deleteFolder(folder);
                    created.remove(folder);
                }
            }
            blazeImported = newFolder("import-blaze");
            sqliteImported = newFolder("import-sqlite");
            boolean blazeFirst = round % 2 == 1;
            double blaze;
            double sqlite;
            if (blazeFirst) {
                blaze = ImportChild.run(ImportChild.BLAZE, blazeImported, childOptions());
                sqlite = ImportChild.run(ImportChild.SQLITE, sqliteImported, childOptions());
            } else {
                sqlite = ImportChild.run(ImportChild.SQLITE, sqliteImported, childOptions());
                blaze = ImportChild.run(ImportChild.BLAZE, blazeImported, childOptions());
            }
            blazeRates.add(blaze);
            sqliteRates.add(sqlite);
            ratios.add(blaze / sqlite);
            System.out.printf(Locale.ROOT, "    import round %d (%s first, each in a fresh JVM): BlazeDB %,.0f docs/s, SQLite %,.0f docs/s, ratio %.2fx%n",
                    round, blazeFirst ? "BlazeDB" : "SQLite", blaze, sqlite, blaze / sqlite);
        }
        report(String.format(Locale.ROOT, "import %,d docs, batches of 1,000 (BlazeDB %d in flight), page cache %,d MiB, each in a fresh JVM%s, median of %d rounds",
                        docs, batchesInFlight, importCacheMb, warmup > 0 ? String.format(Locale.ROOT, " after %,d untimed", warmup) : "", importRounds),
                "docs/s", median(blazeRates), median(sqliteRates), median(ratios), "goal: >= 1.5x SQLite (median of the rounds' ratios)");
        printImportedFiles();
    }

    /** @return the options a child import is given: this run's document count, import cache and warm-up */
    private static List<String> childOptions() {
        return List.of("--docs", Integer.toString(docs), "--import-cache-mb", Integer.toString(importCacheMb), "--warmup", Integer.toString(warmup),
                "--in-flight", Integer.toString(batchesInFlight));
    }

    /** The child side of {@link #importInFreshJvms}: one import, its rate printed for the parent. */
    private static void importInThisJvm(String side, Path folder) throws Exception {
        id(0); // every id formatted before the clock starts, as in the shared-JVM import
        if (warmup > 0) {
            Path scratch = Files.createTempDirectory(folder.getParent(), "warmup-" + side);
            try {
                importSide(side, scratch, Math.min(warmup, docs));
            } finally {
                BenchData.deleteFolder(scratch);
            }
        }
        System.out.println(ImportChild.RATE + " " + importSide(side, folder, docs));
    }

    private static double importSide(String side, Path folder, int count) throws Exception {
        return switch (side) {
            case ImportChild.BLAZE -> blazeImport(folder, count);
            case ImportChild.SQLITE -> sqliteImport(folder, count);
            default -> throw new IllegalArgumentException("Unknown import side " + side);
        };
    }

    /** @return documents per second of importing the first {@code count} documents into a new store in {@code folder} */
    private static double blazeImport(Path folder, int count) throws Exception {
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("bench", folder).withCacheSizeMb(importCacheMb))) {
            long start = System.nanoTime();
            BatchesInFlight inFlight = new BatchesInFlight(store, batchesInFlight);
            for (int from = 0; from < count; from += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int i = from; i < Math.min(count, from + 1000); i++) {
                    batch.put("docs", id(i), document(i));
                }
                if (batchesInFlight <= 1) {
                    store.write(batch);
                } else {
                    // the next batch is built while the store commits this one
                    inFlight.submit(batch);
                }
            }
            inFlight.finish(); // every batch durable before the clock stops
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** @return documents per second of importing the first {@code count} documents into a new SQLite file in {@code folder} */
    private static double sqliteImport(Path folder, int count) throws Exception {
        try (Connection conn = sqlite(folder.resolve("db.sqlite"))) {
            conn.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement p = conn.prepareStatement(BenchData.SQLITE_UPSERT)) {
                for (int from = 0; from < count; from += 1000) {
                    for (int i = from; i < Math.min(count, from + 1000); i++) {
                        p.setString(1, id(i));
                        p.setBytes(2, BlazeBinary.encodeDocument(document(i)));
                        p.addBatch();
                    }
                    p.executeBatch();
                    conn.commit();
                }
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Durable puts of random existing documents of the imported stores (imported first if no
     * scenario did), BlazeDB and SQLite in alternating one-second rounds as in {@link #commits}.
     */
    private static void updates(int writers) throws Exception {
        if (blazeImported == null) {
            importAndRead(false);
        }
        List<Double> blaze = new ArrayList<>();
        List<Double> sqlite = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("bench", blazeImported))) {
            Collection c = store.collection("docs");
            List<PreparedStatement> statements = upserts(sqliteImported.resolve("db.sqlite"), writers, connections);
            Op blazeOp = (t, i) -> {
                int n = ThreadLocalRandom.current().nextInt(docs);
                c.put(id(n), document(n + i));
            };
            Op sqliteOp = (t, i) -> {
                int n = ThreadLocalRandom.current().nextInt(docs);
                PreparedStatement p = statements.get(t);
                p.setString(1, id(n));
                p.setBytes(2, BlazeBinary.encodeDocument(document(n + i)));
                p.executeUpdate();
            };
            run(writers, blazeOp, 1, 1);
            run(writers, sqliteOp, 1, 1);
            for (int round = 0; round < seconds; round++) {
                blaze.add(run(writers, blazeOp, 0, 1));
                sqlite.add(run(writers, sqliteOp, 0, 1));
            }
        } finally {
            for (Connection conn : connections) {
                conn.close();
            }
        }
        report(String.format(Locale.ROOT, "durable 1-doc updates of random docs of %,d, %d writers", docs, writers), "commits/s", median(blaze),
                median(sqlite), "SQLite with " + writers + " writers");
        System.out.printf(Locale.ROOT, "    rounds BlazeDB %s%n    rounds SQLite  %s%n", rounds(blaze), rounds(sqlite));
    }

    /**
     * Warm random point reads from 2 threads.
     *
     * @param documentCacheMb the store's document cache, 0 for none
     * @return reads per second
     */
    private static double blazeReads(int documentCacheMb) throws Exception {
        try (StoreEngine store = StoreEngine.open(withCache(blazeImported).withDocumentCacheMb(documentCacheMb))) {
            Collection c = store.collection("docs");
            Op read = (t, i) -> {
                if (c.get(id(ThreadLocalRandom.current().nextInt(docs))).isEmpty()) {
                    throw new IllegalStateException("missing");
                }
            };
            // warm: one full scan brings every page into the page cache; with the document cache on,
            // reading every id once fills it; then a second of random reads
            try (var all = c.scan("")) {
                all.forEachRemaining(d -> { });
            }
            if (documentCacheMb > 0) {
                for (int i = 0; i < docs; i++) {
                    c.get(id(i));
                }
            }
            run(2, read);
            DocumentCacheStats before = store.documentCacheStats();
            double rate = run(2, read);
            if (documentCacheMb > 0) {
                DocumentCacheStats after = store.documentCacheStats();
                long hits = after.hits() - before.hits();
                long misses = after.misses() - before.misses();
                System.out.printf(Locale.ROOT, "    document cache: hit rate %.1f %% while measured; %,d documents, %,d MiB estimated of %,d; %,d evictions%n",
                        100.0 * hits / Math.max(1, hits + misses), after.entries(), after.bytes() >> 20, after.maxBytes() >> 20,
                        after.evictions());
            }
            return rate;
        }
    }

    private static StoreOptions withCache(Path folder) {
        return StoreOptions.defaults("bench", folder).withCacheSizeMb(cacheMb);
    }

    /** The ids, formatted once: String.format per read cost about as much as a read itself. */
    private static String[] ids;

    private static String id(int i) {
        if (ids == null || ids.length != docs) {
            ids = BenchData.ids(docs);
        }
        return ids[i];
    }

    private static long size(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Connection sqlite(Path file) throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=30000");
            st.execute("CREATE TABLE IF NOT EXISTS docs(id TEXT PRIMARY KEY, body BLOB) WITHOUT ROWID");
        }
        return conn;
    }
}
