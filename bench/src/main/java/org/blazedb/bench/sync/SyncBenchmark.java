package org.blazedb.bench.sync;

import org.blazedb.bench.CpuTime;
import org.blazedb.bench.ProcessFigures;
import org.blazedb.bench.ThreadCounters;
import org.blazedb.bench.Poll;
import java.time.Duration;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.value.MapValue;
import org.blazedb.relay.memory.impl.InMemoryRelay;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.blazedb.sync.impl.EmbeddedSyncEngine;

/**
 * End-to-end sync benchmark over {@link InMemoryRelay}, both stores durable (SYNC: every commit
 * fsynced), the real engine and protocol. Two modes:
 *
 * <pre>
 * bulk [ops]        A holds ops small documents (default 1,000,000); B starts empty and connects;
 *                   time until B holds them all, and the JVM's peak heap use
 * live [rate] [sec] [spin]
 *                   A and B connected; a writer puts rate documents/s into A (default 1,000 for
 *                   10 s, after 10 s of the same writes not measured, while the JVM compiles the
 *                   path; the writer parks between writes, or spins with "spin"); for each, the
 *                   time from A's write returning to B's change feed delivering it
 *                   (write-to-visible); p50/p99/max, and what the slow ones overlapped
 * </pre>
 *
 * Run: {@code java -Xmx512m -cp bench/target/benchmarks.jar org.blazedb.bench.sync.SyncBenchmark bulk}.
 */
public final class SyncBenchmark {
    /**
     * Live runs first write this long unmeasured, so that the JVM has compiled the path: with 3 s the
     * JIT compiler still took a quarter of a core (of two) 6-11 s after start
     * ({@code -Dblaze.bench.warmup.seconds=N} to change).
     */
    private static final int WARM_UP_SECONDS = Integer.getInteger("blaze.bench.warmup.seconds", 10);

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "bulk";
        Path root = Files.createTempDirectory("blaze-sync-bench");
        try {
            if ("parts".equals(mode)) {
                parts(root, args.length > 1 ? Integer.parseInt(args[1]) : 300_000);
            } else if ("live".equals(mode)) {
                live(root, args.length > 1 ? Integer.parseInt(args[1]) : 1_000, args.length > 2 ? Integer.parseInt(args[2]) : 10,
                        args.length > 3 && "spin".equals(args[3]));
            } else {
                bulk(root, args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            }
        } finally {
            delete(root);
        }
    }

    private static void bulk(Path root, int ops) throws Exception {
        try (StoreEngine a = StoreEngine.open(StoreOptions.defaults("a", root.resolve("a")));
             StoreEngine b = StoreEngine.open(StoreOptions.defaults("b", root.resolve("b")))) {
            long loadStart = System.nanoTime();
            for (int i = 0; i < ops; i += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int j = i; j < Math.min(ops, i + 1000); j++) {
                    batch.put("items", "item-" + j, doc(j));
                }
                a.write(batch);
            }
            System.out.printf("loaded %,d operations into A in %.1f s%n", ops, (System.nanoTime() - loadStart) / 1e9);
            System.gc();
            InMemoryRelay relay = new InMemoryRelay();
            try (EmbeddedSyncEngine ea = engine(a, relay); EmbeddedSyncEngine eb = engine(b, relay)) {
                HeapWatch heap = new HeapWatch();
                long cpuStart = CpuTime.millis();
                long start = System.nanoTime();
                eb.connect(URI.create("memory:a")).toCompletableFuture().get(30, TimeUnit.MINUTES);
                Poll.until("B to hold what A holds", Duration.ofMinutes(30), () -> b.version().equals(a.version()));
                double seconds = (System.nanoTime() - start) / 1e9;
                long cpu = CpuTime.millis() - cpuStart;
                heap.stop();
                System.out.printf("bulk: replicated %,d operations A->B in %.2f s = %,.0f ops/s; peak heap used %d MiB (max %d MiB)%n",
                        ops, seconds, ops / seconds, heap.peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
                // the process's CPU time meanwhile (every thread: both engines and stores, relay, GC, JIT)
                System.out.printf("bulk: CPU used while replicating %.2f s = %.2f µs per operation%n", cpu / 1e3, cpu * 1e3 / ops);
            } finally {
                relay.deactivate();
            }
        }
    }

    /** Times the engine's two store calls alone: streaming the log out, and applying batches in. */
    private static void parts(Path root, int ops) throws Exception {
        try (StoreEngine a = StoreEngine.open(StoreOptions.defaults("a", root.resolve("a")));
             StoreEngine b = StoreEngine.open(StoreOptions.defaults("b", root.resolve("b")))) {
            for (int i = 0; i < ops; i += 1000) {
                WriteBatch batch = new WriteBatch();
                for (int j = i; j < Math.min(ops, i + 1000); j++) {
                    batch.put("items", "item-" + j, doc(j));
                }
                a.write(batch);
            }
            for (int batchSize : new int[] {1000, 16_000}) {
                try (StoreEngine c = StoreEngine.open(StoreOptions.defaults("c" + batchSize, root.resolve("c" + batchSize)))) {
                    long start = System.nanoTime();
                    java.util.List<org.blazedb.api.Operation> batch = new java.util.ArrayList<>();
                    long encoded = 0;
                    long scanned = 0;
                    long applyNanos = 0;
                    try (org.blazedb.api.Cursor<org.blazedb.api.Operation> cursor = a.operationsMissingFrom(org.blazedb.api.VersionVector.EMPTY)) {
                        while (cursor.hasNext()) {
                            batch.add(cursor.next());
                            scanned++;
                            if (batch.size() == batchSize || !cursor.hasNext()) {
                                byte[] bytes = org.blazedb.codec.BlazeBinary.encodeBatch(batch.subList(0, Math.min(batch.size(), 10_000)));
                                encoded += bytes.length;
                                long t = System.nanoTime();
                                c.apply(a.nodeId(), batch, new LastWriterWinsResolver());
                                applyNanos += System.nanoTime() - t;
                                batch.clear();
                            }
                        }
                    }
                    double total = (System.nanoTime() - start) / 1e9;
                    System.out.printf("parts (batch %,d): scan+encode+apply %,d ops in %.2f s (%,.0f ops/s); apply alone %.2f s (%,.0f ops/s); %d bytes/op encoded%n",
                            batchSize, scanned, total, scanned / total, applyNanos / 1e9, scanned / (applyNanos / 1e9), encoded / Math.max(1, scanned));
                }
            }
        }
    }

    private static void live(Path root, int rate, int seconds, boolean spin) throws Exception {
        try (StoreEngine a = StoreEngine.open(StoreOptions.defaults("a", root.resolve("a")));
             StoreEngine b = StoreEngine.open(StoreOptions.defaults("b", root.resolve("b")))) {
            InMemoryRelay relay = new InMemoryRelay();
            // both ends record their own time; latencies are computed afterwards, so a change that
            // becomes visible on B before A's write call has even returned is still counted
            ConcurrentHashMap<String, Long> written = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, Long> startedAt = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, Long> visibleAt = new ConcurrentHashMap<>();
            ConcurrentHashMap<String, Long> localFeedAt = new ConcurrentHashMap<>();
            ChangeListener localFeed = changes -> {
                long now = System.nanoTime();
                for (Change c : changes) {
                    localFeedAt.putIfAbsent(c.operation().documentId(), now);
                }
            };
            int total = rate * seconds;
            int warmUp = rate * WARM_UP_SECONDS;
            ChangeListener visible = changes -> {
                long now = System.nanoTime();
                for (Change c : changes) {
                    visibleAt.putIfAbsent(c.operation().documentId(), now);
                }
            };
            TimedReplica timedB = new TimedReplica(b, false);
            try (EmbeddedSyncEngine ea = engine(a, relay); EmbeddedSyncEngine eb = engine(b, timedB, relay);
                 AutoCloseable feed = b.addListener(visible, Set.of("items"));
                 AutoCloseable ownFeed = a.addListener(localFeed, Set.of("items"))) {
                eb.connect(URI.create("memory:a")).toCompletableFuture().get(1, TimeUnit.MINUTES);
                // The same writes, unmeasured, while the JVM compiles the path: the figures are of a
                // steady state, not of the compiler competing for the two cores.
                write(a, "warmup", warmUp, rate, spin, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                Poll.until("B to hold the warm-up writes", Duration.ofSeconds(60), () -> b.version().equals(a.version()));
                timedB.clear();
                StallMeter stalls = new StallMeter();
                long gcBefore = ProcessFigures.gcMillis();
                String loadBefore = ProcessFigures.loadAverage();
                long cpuBefore = ProcessFigures.cpuNanos();
                long switchesBefore = ThreadCounters.of(ProcessHandle.current().pid()).totalSwitches();
                write(a, "items", total, rate, spin, startedAt, written);
                Poll.within(Duration.ofSeconds(30), () -> visibleAt.size() >= total);
                stalls.stop();
                long gc = ProcessFigures.gcMillis() - gcBefore;
                long cpu = ProcessFigures.cpuNanos() - cpuBefore;
                long switches = ThreadCounters.of(ProcessHandle.current().pid()).totalSwitches() - switchesBefore;
                long[] sorted = written.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey()))
                        .mapToLong(e -> Math.max(0, visibleAt.get(e.getKey()) - e.getValue())).toArray();
                Arrays.sort(sorted);
                long[] fromStart = startedAt.entrySet().stream().filter(e -> visibleAt.containsKey(e.getKey()))
                        .mapToLong(e -> visibleAt.get(e.getKey()) - e.getValue()).sorted().toArray();
                long[] own = written.entrySet().stream().filter(e -> localFeedAt.containsKey(e.getKey()))
                        .mapToLong(e -> Math.max(0, localFeedAt.get(e.getKey()) - e.getValue())).sorted().toArray();
                System.out.printf("live: %s writer, after %d s of unmeasured warm-up; load average %s before, %s after%n",
                        spin ? "spinning" : "parked", WARM_UP_SECONDS, loadBefore, ProcessFigures.loadAverage());
                System.out.printf("live: for comparison, A's own change feed (no sync): p50 %.3f ms, p99 %.3f ms%n",
                        pct(own, 0.50), pct(own, 0.99));
                System.out.printf("live: %,d writes at %,d/s for %d s; write-to-visible p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d measured)%n",
                        total, rate, seconds, pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6, sorted.length);
                System.out.printf("live: from A's put starting (its commit and fsync included): p50 %.3f ms, p99 %.3f ms%n",
                        pct(fromStart, 0.50), pct(fromStart, 0.99));
                int slow = 0;
                int slowInStall = 0;
                int slowInCommit = 0;
                for (Map.Entry<String, Long> e : written.entrySet()) {
                    Long seen = visibleAt.get(e.getKey());
                    if (seen != null && seen - e.getValue() > 2_000_000) {
                        slow++;
                        if (stalls.overlaps(e.getValue(), seen)) {
                            slowInStall++;
                        } else if (timedB.slowApplyDuring(e.getValue(), seen, 1_000_000)) {
                            slowInCommit++;
                        }
                    }
                }
                System.out.printf("live: this JVM used %.0f ms of CPU, %.1f µs per write; its threads were switched out %,d times"
                        + " (%.1f per write; the stall meter's own 0.5 ms sleeps included)%n", cpu / 1e6, cpu / 1e3 / total, switches, (double) switches / total);
                System.out.printf("live: B's apply (durable commit of received operations): p50 %.3f ms, p99 %.3f ms (%d applies)%n",
                        timedB.percentile(0.5) / 1e6, timedB.percentile(0.99) / 1e6, timedB.count());
                System.out.printf("live: tail attribution: %d writes slower than 2 ms; %d overlap a JVM stall (a thread"
                        + " asking to sleep 0.5 ms woke more than 1 ms late: CPU starvation or GC), %d more overlap an apply"
                        + " on B slower than 1 ms, %d neither; %d stalls, longest %.1f ms, %.1f%% of the time stalled;"
                        + " GC %d ms in total during the run%n", slow, slowInStall, slowInCommit, slow - slowInStall - slowInCommit,
                        stalls.count(), stalls.longest() / 1e6, stalls.stalledPercent(), gc);
            } finally {
                relay.deactivate();
            }
        }
    }

    /**
     * Puts {@code count} documents into {@code collection} at {@code rate}/s, recording when each
     * put started and returned. Between writes the writer parks (or, with {@code spin}, spins as this
     * benchmark once did: that takes one of the machine's cores from the path being measured).
     */
    private static void write(StoreEngine a, String collection, int count, int rate, boolean spin, Map<String, Long> started,
                              Map<String, Long> returned) {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                if (spin) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(wait);
                }
            }
            next += interval;
            String id = collection + "-" + i;
            started.put(id, System.nanoTime());
            a.collection(collection).put(id, doc(i));
            returned.put(id, System.nanoTime());
        }
    }

    private static EmbeddedSyncEngine engine(StoreEngine store, InMemoryRelay relay) throws Exception {
        return engine(store, store, relay);
    }

    private static EmbeddedSyncEngine engine(StoreEngine store, org.blazedb.api.sync.Replica replica, InMemoryRelay relay) {
        EmbeddedSyncEngine engine = new EmbeddedSyncEngine(replica, new LastWriterWinsResolver(), List.<Relay>of(relay));
        store.addListener(engine, Set.of());
        relay.register(store.name(), engine);
        return engine;
    }

    private static MapValue doc(int i) {
        return MapValue.builder().put("n", i).put("name", "user-" + i).put("active", i % 2 == 0).build();
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Samples heap use every 10 ms. */
    private static final class HeapWatch {
        volatile long peak;
        private final Thread thread;
        private volatile boolean running = true;

        HeapWatch() {
            thread = new Thread(() -> {
                while (running) {
                    long used = 0;
                    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == MemoryType.HEAP) {
                            used += pool.getUsage().getUsed();
                        }
                    }
                    peak = Math.max(peak, used);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
