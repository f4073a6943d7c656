package org.blazedb.bench.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how late a thread that asks to sleep 0.5 ms wakes (in the manner of jHiccup): a wake-up
 * more than 1 ms late means the JVM could not run (a GC safepoint) or the machine had no core free
 * for it; every thread on a latency path suffers the same at that moment. Stalls are kept as
 * {start, end} in {@link System#nanoTime()} so a benchmark can ask whether one overlapped a slow
 * operation.
 */
public final class StallMeter implements AutoCloseable {
    /** The sleep asked for. */
    static final long SLEEP_NANOS = 500_000;
    /** A wake-up later than this after asking ({@link #SLEEP_NANOS} + 1 ms) counts as a stall. */
    static final long STALL_NANOS = 1_500_000;

    private final List<long[]> stalls = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean running = true;
    private volatile long stopped;
    private long sleeps;

    public StallMeter() {
        thread = new Thread(() -> {
            while (running) {
                long start = System.nanoTime();
                LockSupport.parkNanos(SLEEP_NANOS);
                long end = System.nanoTime();
                sleeps++;
                if (end - start > STALL_NANOS) {
                    stalls.add(new long[] {start, end});
                }
            }
        }, "stall-meter");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops measuring; the figures stay readable. */
    public void stop() throws InterruptedException {
        if (running) {
            running = false;
            thread.join();
            stopped = System.nanoTime();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** @return whether a stall overlapped [from, to] (nanoTime) */
    public boolean overlaps(long from, long to) {
        synchronized (stalls) {
            return stalls.stream().anyMatch(s -> s[0] < to && s[1] > from);
        }
    }

    /** @return the stalls recorded so far, {start, end} in {@link System#nanoTime()} */
    public List<long[]> stalls() {
        synchronized (stalls) {
            return new ArrayList<>(stalls);
        }
    }

    /** @return the stalls recorded */
    public int count() {
        return stalls.size();
    }

    /** @return the sleeps asked for (after {@link #stop()}) */
    long sleeps() {
        return sleeps;
    }

    /** @return the longest stall, in ns */
    public long longest() {
        synchronized (stalls) {
            return stalls.stream().mapToLong(s -> s[1] - s[0]).max().orElse(0);
        }
    }

    /** @return the time spent in stalls, in ns */
    long stalledNanos() {
        synchronized (stalls) {
            return stalls.stream().mapToLong(s -> s[1] - s[0]).sum();
        }
    }

    /** @return the stalled share of the time measured, in percent (after {@link #stop()}) */
    public double stalledPercent() {
        long end = stopped == 0 ? System.nanoTime() : stopped;
        return 100.0 * stalledNanos() / (end - started);
    }
}
