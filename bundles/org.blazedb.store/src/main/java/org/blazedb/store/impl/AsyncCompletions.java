package org.blazedb.store.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the futures of {@link StoreEngine#writeAsync} complete: one thread of the store's own,
 * which runs no commit. A future completes on the thread that completes it, and runs the caller's
 * dependent stages there; the committer completes a batch on its writer or syncer thread, under
 * the commit lock or before its group's sync is settled, so a dependent stage that wrote to the
 * store there (a progress marker after each imported batch, say) would wait for itself for ever.
 * One thread keeps the completions in the order the committer made them. It ends when idle and
 * starts again with the next completion.
 */
final class AsyncCompletions {
    private final ThreadPoolExecutor thread;
    private final Executor executor;

    /** @param storeName the store's name, for the thread's */
    AsyncCompletions(String storeName) {
        thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "blaze-store-" + storeName + "-completions");
            t.setDaemon(true);
            return t;
        });
        thread.allowCoreThreadTimeOut(true);
        // after close, a late completion (none is expected: the committer completes every task
        // before it stops) runs where it happens rather than being lost
        executor = task -> {
            try {
                thread.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    /**
     * @param committed completed by the committer
     * @param <T>       the result's type
     * @return a future completed as {@code committed} is, on the completions thread
     */
    <T> CompletableFuture<T> deliver(CompletableFuture<T> committed) {
        CompletableFuture<T> delivered = new CompletableFuture<>();
        // whenCompleteAsync, not thenApplyAsync: that one passes a failure on at once, on the
        // completing thread, so a caller's failure handler would still run on the committer's
        committed.whenCompleteAsync((result, failure) -> {
            if (failure != null) {
                delivered.completeExceptionally(failure);
            } else {
                delivered.complete(result);
            }
        }, executor);
        return delivered;
    }

    /** Lets the completions already handed over run, then stops the thread. */
    void close() {
        thread.shutdown();
    }
}
