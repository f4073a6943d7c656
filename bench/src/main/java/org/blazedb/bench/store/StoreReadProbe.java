package org.blazedb.bench.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.blazedb.api.Collection;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;

/**
 * Warm random point reads on a store {@link StoreVsSqlite} imported (collection {@code docs}, ids
 * {@code doc-00000000}...), from 2 threads, in rounds; prints reads per second of wall clock and
 * reads per second of the readers' own CPU time. The second figure is what to compare on a busy
 * machine: it does not count the time other processes took the cores from the readers (it still
 * moves with what they do to the processor's caches). Usage: {@code java -Xmx3g -cp
 * bench/target/benchmarks.jar org.blazedb.bench.store.StoreReadProbe STORE-FOLDER DOC-CACHE-MB
 * [rounds] [seconds]}; the page cache is 1 GiB.
 */
public final class StoreReadProbe {
    private static final int DOCS = 1_000_000;

    private StoreReadProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int documentCacheMb = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String[] ids = new String[DOCS];
        for (int i = 0; i < DOCS; i++) {
            ids[i] = String.format(Locale.ROOT, "doc-%08d", i);
        }
        StoreOptions options = StoreOptions.defaults("bench", folder).withCacheSizeMb(1024).withDocumentCacheMb(documentCacheMb);
        try (StoreEngine store = StoreEngine.open(options)) {
            Collection c = store.collection("docs");
            try (var all = c.scan("")) {
                all.forEachRemaining(d -> { });
            }
            if (documentCacheMb > 0) {
                for (String id : ids) {
                    c.get(id);
                }
            }
            List<Double> wall = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                double[] result = round(c, ids, seconds);
                if (r >= 0) {
                    wall.add(result[0]);
                    cpu.add(result[1]);
                }
            }
            System.out.printf(Locale.ROOT, "document cache %d MiB: reads/s %s, median %,.0f%n", documentCacheMb, list(wall), median(wall));
            System.out.printf(Locale.ROOT, "    reads per CPU-second of one reader %s, median %,.0f%n", list(cpu), median(cpu));
            System.out.printf(Locale.ROOT, "    %s%n", store.documentCacheStats());
        }
    }

    /** @return {reads per second, reads per CPU-second of a reader thread} */
    private static double[] round(Collection c, String[] ids, int seconds) throws InterruptedException {
        AtomicLong reads = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getCurrentThreadCpuTime();
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 100; k++) {
                        if (c.get(ids[ThreadLocalRandom.current().nextInt(DOCS)]).isEmpty()) {
                            throw new IllegalStateException("missing");
                        }
                    }
                    n += 100;
                }
                reads.addAndGet(n);
                cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new double[] {reads.get() / (double) seconds, reads.get() / (cpuNanos.get() / 1e9)};
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String list(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList().toString();
    }
}
