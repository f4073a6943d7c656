package org.blazedb.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits of the benchmark harnesses. They poll every millisecond, so the moment a run is
 * seen to finish is at most a millisecond late, and they never wait forever on a run that stalls.
 */
public final class Poll {
    private Poll() {
    }

    /**
     * @param bound the longest wait
     * @param done  the condition
     * @return whether the condition held within the bound (a benchmark may then report what it has)
     */
    public static boolean within(Duration bound, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * @param what  what is awaited, for the error
     * @param bound the longest wait
     * @param done  the condition
     * @throws IllegalStateException when it did not hold within the bound
     */
    public static void until(String what, Duration bound, BooleanSupplier done) throws InterruptedException {
        if (!within(bound, done)) {
            throw new IllegalStateException("Gave up after " + bound + " waiting for " + what);
        }
    }
}
