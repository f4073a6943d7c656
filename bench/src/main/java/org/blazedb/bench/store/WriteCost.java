package org.blazedb.bench.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.blazedb.api.Cursor;
import org.blazedb.bench.ProcessFigures;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;

/**
 * What a durable write costs the store, in figures that a busy shared machine disturbs less than
 * throughput: besides the wall-clock rate, the CPU time of the JVM's application threads (the
 * importing thread and the store's writer; not the garbage collector or the JIT) per document, and
 * the bytes the process wrote to the disk per document ({@code write_bytes} of
 * {@code /proc/self/io}, Linux only); also the heap the application threads allocated per document
 * and the collections (count and pause time) during the run, since garbage is part of a write's cost. Two scenarios:
 *
 * <pre>
 * import N [DIR [CACHE_MB]]
 *            N documents of about 200 bytes (StoreVsSqlite's) in batches of 1,000, ids formatted
 *            beforehand, the store's default page cache unless CACHE_MB is given
 * apply N    N small documents written to a store A; its log read into memory, then applied to a
 *            fresh store with Replica.apply in batches of 1,000 and of 16,000 (SyncBenchmark parts
 *            without the scan and the encoding)
 * </pre>
 *
 * It uses only the store's public classes, so the same class can be run against an older build:
 * {@code java -cp bench/target/classes:OLD/benchmarks.jar org.blazedb.bench.store.WriteCost import 500000}
 * (this class and the benchmark's others come from {@code bench/target/classes}, the store's from
 * the older jar, which holds no store classes in {@code bench/target/classes}).
 */
public final class WriteCost {
    private WriteCost() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "import";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        // the page cache of the import: the store's default unless given (asked of the store's
        // classes on the class path, so that an older jar is measured with its own default)
        int cacheMb = args.length > 3 ? Integer.parseInt(args[3]) : StoreOptions.defaults("bench", Path.of(".")).cacheSizeMb();
        Path dir = Files.createTempDirectory(args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir")), "write-cost");
        try {
            if (mode.equals("apply")) {
                apply(dir, n);
            } else {
                importDocuments(dir, n, cacheMb);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void importDocuments(Path dir, int docs, int cacheMb) throws Exception {
        String[] ids = new String[docs];
        for (int i = 0; i < docs; i++) {
            ids[i] = String.format(Locale.ROOT, "doc-%08d", i);
        }
        StoreOptions options = StoreOptions.defaults("bench", dir).withCacheSizeMb(cacheMb);
        try (StoreEngine store = StoreEngine.open(options)) {
            Meter meter = new Meter();
            for (int from = 0; from < docs; from += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int i = from; i < Math.min(docs, from + 1000); i++) {
                    batch.put("docs", ids[i], StoreVsSqlite.document(i));
                }
                store.write(batch);
            }
            meter.report(String.format(Locale.ROOT, "import %,d docs, batches of 1,000, page cache %,d MiB", docs, cacheMb), docs, "doc");
        }
    }

    private static void apply(Path dir, int ops) throws Exception {
        List<Operation> all = new ArrayList<>(ops);
        try (StoreEngine a = StoreEngine.open(StoreOptions.defaults("a", dir.resolve("a")))) {
            for (int i = 0; i < ops; i += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int j = i; j < Math.min(ops, i + 1000); j++) {
                    batch.put("items", "item-" + j, MapValue.builder().put("n", j).put("name", "user-" + j).put("active", j % 2 == 0).build());
                }
                a.write(batch);
            }
            try (Cursor<Operation> log = a.operationsMissingFrom(VersionVector.EMPTY)) {
                log.forEachRemaining(all::add);
            }
            for (int size : new int[] {1000, 16_000}) {
                try (StoreEngine c = StoreEngine.open(StoreOptions.defaults("c" + size, dir.resolve("c" + size)))) {
                    Meter meter = new Meter();
                    for (int i = 0; i < all.size(); i += size) {
                        c.apply(a.nodeId(), all.subList(i, Math.min(all.size(), i + size)), new LastWriterWinsResolver());
                    }
                    meter.report(String.format(Locale.ROOT, "apply %,d ops, batches of %,d", all.size(), size), all.size(), "op");
                }
            }
        }
    }

    /**
     * Wall time, application-thread CPU time, heap allocated by the application threads, the
     * collector's pauses and bytes written since it was made.
     */
    private static final class Meter {
        private final long start = System.nanoTime();
        private final long cpu = applicationCpuNanos();
        private final long processCpu = ProcessFigures.cpuNanos();
        private final long allocated = allocatedBytes();
        private final long[] gc = collections();
        private final long written = writtenBytes();

        void report(String what, long count, String unit) throws Exception {
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpuNanos = applicationCpuNanos() - cpu;
            long processNanos = ProcessFigures.cpuNanos() - processCpu;
            long bytes = writtenBytes() - written;
            long heap = allocatedBytes() - allocated;
            long[] gcNow = collections();
            System.out.printf(Locale.ROOT, "%s: %,.0f %ss/s; application threads' CPU %.2f us/%s, whole process (GC and JIT too) %.2f us/%s; "
                            + "%,.0f bytes allocated/%s; %d collections, %,d ms; %,.0f bytes written/%s; load %s%n",
                    what, count / seconds, unit, cpuNanos / 1e3 / count, unit, processNanos / 1e3 / count, unit, (double) heap / count, unit,
                    gcNow[0] - gc[0], gcNow[1] - gc[1], (double) bytes / count, unit, Files.readString(Path.of("/proc/loadavg")).trim());
        }

        /**
         * The heap allocated so far by the live threads (the importing thread, the store's writer
         * and encoder); like the CPU figure, threads that ended meanwhile are not counted.
         */
        private static long allocatedBytes() {
            if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
                return 0;
            }
            long sum = 0;
            for (long id : threads.getAllThreadIds()) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(id));
            }
            return sum;
        }

        /** @return the collections so far and the time they took in ms (G1: its pauses), all collectors */
        private static long[] collections() {
            long count = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
            }
            return new long[] {count, ProcessFigures.gcMillis()};
        }

        /** Threads that ended meanwhile are not counted; the store's writer lives as long as the store. */
        private static long applicationCpuNanos() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long sum = 0;
            for (long id : threads.getAllThreadIds()) {
                sum += Math.max(0, threads.getThreadCpuTime(id));
            }
            return sum;
        }

        private static long writtenBytes() {
            Path io = Path.of("/proc/self/io");
            if (!Files.isReadable(io)) {
                return 0;
            }
            try {
                for (String line : Files.readAllLines(io)) {
                    if (line.startsWith("write_bytes:")) {
                        return Long.parseLong(line.substring("write_bytes:".length()).trim());
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return 0;
        }
    }
}
