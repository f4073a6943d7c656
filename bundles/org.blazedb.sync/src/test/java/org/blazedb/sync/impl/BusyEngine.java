package org.blazedb.sync.impl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A way to keep an engine's thread busy while a test sets something up behind it. */
final class BusyEngine {
    private BusyEngine() {
    }

    /**
     * Occupies an engine's thread with a task (a long commit, say) that waits for the latch
     * returned, 60 s at most.
     *
     * @param executor the engine's executor
     * @return the latch that ends the task; returned once the task runs
     */
    static CountDownLatch occupying(EngineExecutor executor) throws InterruptedException {
        CountDownLatch runs = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            runs.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!runs.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("timed out waiting for: the engine's thread to take the task");
        }
        return release;
    }
}
