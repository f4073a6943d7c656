package org.blazedb.sync.impl;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** An {@link EngineExecutor} on one daemon thread of its own. */
final class ThreadEngineExecutor implements EngineExecutor {
    private static final Logger LOG = Logger.getLogger(ThreadEngineExecutor.class.getName());

    private final ScheduledThreadPoolExecutor thread;

    /** @param name the thread's name */
    ThreadEngineExecutor(String name) {
        thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        if (!thread.isShutdown()) {
            thread.execute(() -> runLogged(task));
        }
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        if (thread.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = thread.schedule(() -> runLogged(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    @Override
    public void shutdown() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // an engine task must not kill the engine thread; the failure is logged, never swallowed silently
            LOG.log(Level.WARNING, "Sync engine task failed", e);
        }
    }
}
