package org.blazedb.bench.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.blazedb.bench.ProcessFigures;

/**
 * The floor under the live benchmark's tail: how often a JVM that does nothing else wakes a 0.5 ms
 * sleeper more than 1 ms late ({@link StallMeter}), alone and beside one load at a time: an fsync
 * loop at the live benchmark's rate (two stores committing 1,000 times a second each), garbage at
 * about its allocation rate, a thread spinning as the benchmark's writer once did, or all three.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.blazedb.bench.sync.StallFloor [seconds] [idle|fsync|alloc|spin|all ...]
 * </pre>
 */
public final class StallFloor {
    /** fdatasyncs per second of the fsync load: two SYNC stores at 1,000 writes/s. */
    static final int FSYNCS_PER_SECOND = 2_000;
    /** Bytes allocated per second by the alloc load (the live benchmark's order of magnitude, from its GC log). */
    static final long ALLOC_BYTES_PER_SECOND = 40L << 20;

    private StallFloor() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> modes = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("idle", "fsync", "alloc", "spin", "all");
        Path dir = Files.createTempDirectory("blaze-stall-floor");
        try {
            for (String mode : modes) {
                run(mode, seconds, dir);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(String mode, int seconds, Path dir) throws Exception {
        List<Load> loads = new ArrayList<>();
        if (mode.equals("fsync") || mode.equals("all")) {
            loads.add(new FsyncLoad(dir.resolve("fsync-" + mode)));
        }
        if (mode.equals("alloc") || mode.equals("all")) {
            loads.add(new AllocLoad());
        }
        if (mode.equals("spin") || mode.equals("all")) {
            loads.add(new SpinLoad());
        }
        if (loads.isEmpty() && !mode.equals("idle")) {
            throw new IllegalArgumentException("Unknown mode '" + mode + "': idle, fsync, alloc, spin or all");
        }
        loads.forEach(Load::start);
        Thread.sleep(1000); // the loads' own start-up (compilation, first GC) is not measured
        long gcBefore = ProcessFigures.gcMillis();
        StallMeter meter = new StallMeter();
        Thread.sleep(seconds * 1000L);
        meter.stop();
        long gc = ProcessFigures.gcMillis() - gcBefore;
        StringBuilder extra = new StringBuilder();
        for (Load l : loads) {
            l.stop();
            extra.append("; ").append(l.report());
        }
        System.out.printf("floor %-5s %d s: %d of %,d sleeps of 0.5 ms woke more than 1 ms late (%.2f%% of them), %.2f%% of the time"
                        + " stalled, longest %.1f ms; GC %d ms%s; load average %s%n",
                mode, seconds, meter.count(), meter.sleeps(), 100.0 * meter.count() / Math.max(1, meter.sleeps()),
                meter.stalledPercent(), meter.longest() / 1e6, gc, extra, ProcessFigures.loadAverage());
    }

    /** A background load on its own thread. */
    private abstract static class Load implements Runnable {
        private final Thread thread = new Thread(this, "floor-" + getClass().getSimpleName());
        volatile boolean running = true;

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        abstract String report();
    }

    /** Appends 200 bytes and fdatasyncs, {@link #FSYNCS_PER_SECOND} times a second (parked between). */
    private static final class FsyncLoad extends Load {
        private final Path file;
        private final long[] took = new long[1 << 20];
        private int count;

        FsyncLoad(Path file) {
            this.file = file;
        }

        @Override
        public void run() {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer record = ByteBuffer.allocate(200);
                long interval = 1_000_000_000L / FSYNCS_PER_SECOND;
                long next = System.nanoTime();
                long position = 0;
                while (running) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    next += interval;
                    record.clear();
                    long start = System.nanoTime();
                    ch.write(record, position);
                    ch.force(false);
                    took[count++ & (took.length - 1)] = System.nanoTime() - start;
                    position = (position + 200) % (4 << 20);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        String report() {
            long[] sorted = Arrays.copyOf(took, Math.min(count, took.length));
            Arrays.sort(sorted);
            return String.format("%,d fdatasyncs, p50 %.3f ms, p99 %.3f ms", count,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
        }
    }

    /** Allocates short-lived 64-byte arrays at {@link #ALLOC_BYTES_PER_SECOND}, a millisecond's worth at a time. */
    private static final class AllocLoad extends Load {
        private long allocated;
        @SuppressWarnings("unused")
        private volatile Object sink;

        @Override
        public void run() {
            long perMilli = ALLOC_BYTES_PER_SECOND / 1000;
            long next = System.nanoTime();
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += 1_000_000;
                Object[] keep = new Object[64];
                for (long b = 0; b < perMilli; b += 64 + 16) {
                    keep[(int) (b & 63)] = new byte[64];
                }
                sink = keep;
                allocated += perMilli;
            }
        }

        @Override
        String report() {
            return String.format("%,d MiB allocated", allocated >> 20);
        }
    }

    /** Spins on one core, as a writer pacing itself with {@code Thread.onSpinWait()} does. */
    private static final class SpinLoad extends Load {
        @Override
        public void run() {
            while (running) {
                Thread.onSpinWait();
            }
        }

        @Override
        String report() {
            return "one thread spinning";
        }
    }
}
