package org.blazedb.sync.impl;

import java.util.concurrent.RejectedExecutionException;
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

    /**
     * Runs the task on the engine thread; after {@link #shutdown()} the task is dropped, since the
     * engine it belongs to has stopped (a link closing late, say, has nothing left to tell it).
     */
    @Override
    public void execute(Runnable task) {
        try {
            thread.execute(() -> runLogged(task));
        } catch (RejectedExecutionException stopped) {
            // checked here rather than with isShutdown() first: a shutdown can come between the two
            LOG.log(Level.FINE, "Sync engine stopped; a late task was dropped");
        }
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        try {
            ScheduledFuture<?> f = thread.schedule(() -> runLogged(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException stopped) {
            LOG.log(Level.FINE, "Sync engine stopped; a late timer was dropped");
            return () -> { };
        }
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
