package org.blazedb.store.impl;

import java.util.concurrent.CompletableFuture;

/**
 * One unit of work for the {@link Committer}: it first stages (reads and validates, changing
 * nothing, and may fail on its own), then writes (may not fail for the caller's reasons). Its result
 * is delivered once the commit that holds it is on disk as the durability mode requires.
 *
 * @param <T> the result type
 */
abstract class CommitTask<T> {
    final CompletableFuture<T> future = new CompletableFuture<>();
    /** Whether it came through {@link Committer#submitAsync}: its group's sync may be deferred. Set before it is queued. */
    boolean async;

    /**
     * Reads and validates; changes nothing.
     *
     * @return the write to perform
     * @throws org.blazedb.api.BlazeException if the task cannot be applied; nothing was changed
     */
    abstract Staged<T> stage();

    /** @param <T> the result type */
    @FunctionalInterface
    interface Staged<T> {
        /** @return the result, once the writes to the maps are done */
        T write();
    }
}
