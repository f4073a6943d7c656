package org.blazedb.store.impl;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A bounded wait on a condition, for tests of what the store's own threads do. */
final class Await {
    private Await() {
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code seconds}.
     *
     * @param what      what is awaited, for the failure message
     * @param seconds   the bound
     * @param condition the condition
     */
    static void until(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
