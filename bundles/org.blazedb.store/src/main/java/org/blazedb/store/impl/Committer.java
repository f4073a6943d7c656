package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * The store's group commit. Writers queue {@link CommitTask}s; whoever holds the commit lock (a
 * writer that found no group in progress, or else the store's writer thread) takes every task
 * waiting, stages and writes each, then commits them all with one write-ahead log record and, in
 * {@link Durability#SYNC} mode, one fdatasync. While it syncs, new tasks queue up and form the next
 * group, so concurrent writers share syncs and throughput grows with them. One group at a time: the
 * store's maps have a single writer.
 *
 * <p>Tasks submitted with {@link #submitAsync} (an import's batches in flight) are queued for the
 * writer thread (a writer that leads a group takes what is queued too, before its own task). The
 * writer thread does not wait for their group's sync: it hands the sync to the store's syncer
 * thread and stages the next group meanwhile. The files still see one operation at a time, in order
 * (commit, sync, commit, sync): a group's commit waits until the previous group's sync has finished
 * ({@link #settle}), and when that sync failed, the group staged during it fails too. Tasks leave the
 * queue only under the commit lock, oldest first, so groups hold them in submission order.
 */
final class Committer {
    /** The most tasks one commit holds; bounds the memory of a group. */
    static final int MAX_GROUP_TASKS = 4096;

    /** What the committer needs from the store. */
    interface Host {
        /** @return whether the disk has room for another commit */
        boolean hasFreeSpace();

        /** A group starts: its changes are collected from here on. */
        void beginGroup();

        /** Nothing to do for a while: a moment to checkpoint. */
        void idle();

        /** @return whether {@link #idle()} would checkpoint now */
        boolean checkpointDue();

        /** Writes the bookkeeping (clock, version vector) into the pending commit. */
        void beforeCommit();

        /**
         * Commits the pending changes: appends them to the write-ahead log (not yet synced), or
         * writes and syncs a checkpoint.
         *
         * @throws FailedAfterDurable if the changes are durable but the checkpoint's follow-up failed
         */
        void commit();

        /**
         * Makes what was committed durable (fdatasync of the write-ahead log, or of a checkpoint).
         *
         * @throws FailedAfterDurable if the changes are durable but the checkpoint's follow-up failed
         */
        void sync();

        /**
         * After {@link #commit()} in SYNC mode, instead of {@link #sync()}: the sync this commit needs,
         * as work another thread can do while the next group is staged.
         *
         * @return the deferred sync, or null if this commit must be synced now with {@link #sync()}
         */
        DeferredSync deferSync();

        /** Publishes everything committed so far as durable, and wakes the listeners. */
        void published();

        /** @param failure why a commit failed; discards its changes and makes the store usable again */
        void recover(Throwable failure);

        /**
         * Recovers again if the last {@link #recover} failed (the disk still full, say), so that the
         * store becomes usable once the cause is gone; otherwise does nothing.
         *
         * @throws RuntimeException if the store still cannot be reopened
         */
        void retryRecovery();

        /** @param failure the failure @return it as the error writers see */
        BlazeException map(Throwable failure);

        /** Final commit and close, on the writer thread. */
        void shutdown();
    }

    /**
     * Thrown by the host's {@code commit} or {@code sync} when a group is durable but what had to
     * follow its sync failed (a checkpoint's bookkeeping on disk): the store recovers, and the
     * group's writers are told it succeeded, since the reopened store holds it.
     */
    static final class FailedAfterDurable extends RuntimeException {
        FailedAfterDurable(Throwable cause) {
            super("The commit is durable, but the work after its checkpoint failed: " + cause, cause);
        }
    }

    /** The sync of one commit, done on the syncer thread while the next group is staged. */
    interface DeferredSync {
        /**
         * On the syncer thread: makes the commit durable, records it as acknowledged and publishes it
         * (as {@link Host#sync()} and {@link Host#published()} would). Touches nothing the next
         * group's staging touches.
         */
        void sync();

        /** Under the commit lock, after {@link #sync()} succeeded, before the files' next operation. */
        void finish();
    }

    /** How long the writer waits for work before it offers the store a checkpoint. */
    private static final long IDLE_NANOS = 250_000_000L;

    private static final CommitTask<Void> STOP = new CommitTask<>() {
        @Override
        Staged<Void> stage() {
            return () -> null;
        }
    };

    /** Queued for the writer thread when a group led by a writer found a checkpoint due. */
    private static final CommitTask<Void> CHECKPOINT = new CommitTask<>() {
        @Override
        Staged<Void> stage() {
            return () -> null;
        }
    };

    private final Host host;
    private final Durability durability;
    private final long relaxedSyncNanos;
    private final BlockingQueue<CommitTask<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Runs deferred syncs, one at a time. */
    private final ExecutorService syncer;
    /** The group whose sync the syncer is doing or has done, not yet {@linkplain #settle settled}; set under the lock. */
    private volatile PendingSync pending;
    /** Held by whoever processes a group: the writer thread, or a writer that found it idle. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean unsynced;
    /** Whether {@link #CHECKPOINT} is queued; guarded by the lock. */
    private boolean checkpointQueued;
    private long lastSync = System.nanoTime();
    /** Checkpoints offered between groups while busy (only the writer thread counts; tests read it). */
    private volatile int busyCheckpoints;

    Committer(String name, Host host, Durability durability, int relaxedSyncMillis) {
        this.host = host;
        this.durability = durability;
        this.relaxedSyncNanos = TimeUnit.MILLISECONDS.toNanos(relaxedSyncMillis);
        this.thread = new Thread(this::run, "blaze-store-" + name + "-writer");
        this.thread.setDaemon(true);
        this.syncer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "blaze-store-" + name + "-syncer");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread.start();
    }

    /**
     * @param task the work
     * @param <T>  its result type
     * @return its result, once committed
     */
    <T> T submit(CommitTask<T> task) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("A store write from within a store write (a resolver, a staged task) would deadlock");
        }
        if (closed) {
            throw new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed");
        }
        if (lock.tryLock()) {
            // No group in progress: this writer commits its own task (and any queued behind the
            // group that just ended) on its own thread. The writer thread is not involved: a lone
            // writer pays no hand-off to it and back, and does not wake it only to find the queue
            // already drained (on two cores, that wake-up competes with the very threads a
            // commit's listeners run on).
            try {
                if (closed) {
                    task.future.completeExceptionally(new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed"));
                } else {
                    lead(task);
                }
            } finally {
                lock.unlock();
            }
        } else {
            // A group is in progress: queue the task, waking the writer thread, which takes the
            // lock once that group is done and commits everything queued by then as the next group.
            enqueue(task);
            if (closed && queue.remove(task)) {
                throw new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed");
            }
        }
        try {
            return task.future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BlazeException b) {
                // Rethrown on the caller's thread, so its stack trace shows the caller.
                throw new BlazeException(b.code(), b.getMessage(), b);
            }
            throw host.map(cause);
        }
    }

    /**
     * Queues a task for the writer thread and returns at once. Tasks submitted this way by one thread
     * are committed in the order submitted, and before any task that thread submits after them; one
     * that succeeds completes once durable, after those before it (one that fails its stage fails at
     * once). The writer thread stages the next group while this one's sync runs.
     *
     * @param task the work
     * @param <T>  its result type
     * @return completes with its result once committed, or with the error that failed it
     */
    <T> CompletableFuture<T> submitAsync(CommitTask<T> task) {
        if (closed) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed"));
        }
        task.async = true;
        enqueue(task);
        if (closed && queue.remove(task)) {
            task.future.completeExceptionally(new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed"));
        }
        return task.future;
    }

    /** @return the tasks waiting in the queue for a lock holder to take them (tests wait on it) */
    int queued() {
        return queue.size();
    }

    /** @return checkpoints taken by the writer thread between two groups, its queue not empty (tests) */
    int busyCheckpoints() {
        return busyCheckpoints;
    }

    private void enqueue(CommitTask<?> task) {
        queue.add(task);
        LockSupport.unpark(thread);
    }

    /** Stops after the queued work, commits, closes; waits for it. */
    void close() {
        closed = true;
        enqueue(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncer.shutdown();
    }

    /** Processes {@code own} and whatever is queued, on the caller's thread; the lock is held. */
    private void lead(CommitTask<?> own) {
        List<CommitTask<?>> group = new ArrayList<>();
        // what was queued came first: an async batch this writer submitted before is staged before its own write
        queue.drainTo(group, MAX_GROUP_TASKS - 1);
        group.add(own);
        if (group.remove(STOP)) {
            enqueue(STOP); // closing is the writer thread's job
        }
        if (group.remove(CHECKPOINT)) {
            enqueue(CHECKPOINT); // ... and checkpointing
        }
        try {
            process(group, false);
        } catch (RuntimeException | Error e) {
            fail(group, e);
        }
    }

    private void run() {
        List<CommitTask<?>> group = new ArrayList<>();
        boolean stopping = false;
        while (!stopping && !Thread.currentThread().isInterrupted()) { // interrupted: close as if stopped
            try {
                awaitWork(unsynced ? Math.max(0, relaxedSyncNanos - (System.nanoTime() - lastSync)) : IDLE_NANOS);
                lock.lock();
                try {
                    // taken only under the lock, so that no other thread takes a later task first
                    queue.drainTo(group, MAX_GROUP_TASKS);
                    if (group.isEmpty()) { // syncNow and idle settle the pending sync first
                        if (unsynced) {
                            syncNow();
                        }
                        idle();
                        continue;
                    }
                    stopping = group.remove(STOP);
                    boolean checkpoint = group.removeIf(t -> t == CHECKPOINT);
                    if (checkpoint) {
                        checkpointQueued = false;
                    }
                    if (!group.isEmpty()) {
                        process(group, true);
                    } else if (checkpoint) {
                        idle();
                    }
                } finally {
                    lock.unlock();
                }
            } catch (RuntimeException | Error e) {
                fail(group, e);
            } finally {
                group.clear();
            }
        }
        lock.lock();
        try {
            try {
                settle();
                if (unsynced) {
                    syncNow();
                }
            } catch (RuntimeException e) {
                System.getLogger(Committer.class.getName()).log(System.Logger.Level.ERROR, "Final sync failed", e);
            }
            for (CommitTask<?> t; (t = queue.poll()) != null; ) {
                t.future.completeExceptionally(new BlazeException(ErrorCode.STORE_CLOSED, "The store is closed"));
            }
            host.shutdown();
        } finally {
            lock.unlock();
        }
    }

    /** Parks the writer thread until a task is queued, the pending sync is done, or the timeout passes. */
    private void awaitWork(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (queue.isEmpty()) {
            PendingSync p = pending;
            long left = deadline - System.nanoTime();
            if (left <= 0 || (p != null && p.done.isDone())) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /**
     * Commits one group. In SYNC mode a checkpoint may be due after it: the writer thread offers it
     * at once; a writer that led the group leaves it to the writer thread (queuing {@link
     * #CHECKPOINT}), so that its own write returns as soon as it is durable rather than after the
     * MVStore file's commit and fsync too.
     */
    private void process(List<CommitTask<?>> group, boolean onWriterThread) {
        try {
            host.retryRecovery();
        } catch (RuntimeException e) {
            fail(group, host.map(e)); // nothing can be staged on a store that is not open
            return;
        }
        if (!host.hasFreeSpace()) {
            fail(group, host.map(new java.io.IOException("No space left on device (below the configured reserve)")));
            return;
        }
        List<CommitTask<?>> written = new ArrayList<>(group.size());
        List<Object> results = new ArrayList<>(group.size());
        boolean async = false;
        try {
            host.beginGroup();
            for (int i = 0; i < group.size(); i++) { // the group can grow while it is staged (joinWhileSyncing)
                CommitTask<?> task = group.get(i);
                async |= task.async;
                if (async && onWriterThread && i == group.size() - 1) {
                    joinWhileSyncing(group);
                }
                CommitTask.Staged<?> staged;
                try {
                    staged = task.stage();
                } catch (RuntimeException e) {
                    task.future.completeExceptionally(e); // this task alone; nothing of it was written
                    continue;
                }
                results.add(staged.write());
                written.add(task);
            }
            if (written.isEmpty()) {
                return;
            }
            host.beforeCommit();
            Throwable previous = settle();
            if (previous instanceof FailedAfterDurable) {
                // the group before is durable, but the work after its checkpoint failed and the store
                // reopened without this group's staged changes: staged again on the reopened store
                group.removeIf(t -> t.future.isDone()); // failed alone: staged again they fail again
                process(group, onWriterThread);
                return;
            }
            if (previous != null) {
                // the group before failed to sync and the store reopened without it: this group,
                // written into the maps after it, is gone with it
                fail(group, host.map(previous));
                return;
            }
            host.commit();
            if (durability == Durability.SYNC) {
                DeferredSync later = onWriterThread && async ? host.deferSync() : null;
                if (later != null) {
                    // acknowledged by the syncer; this thread goes on to the next group
                    pending = new PendingSync(later, written, results);
                    if (host.checkpointDue()) {
                        // at most once per checkpoint interval: a writer thread kept busy by batches in
                        // flight would otherwise never reach idle(), and the log would grow to its limit
                        busyCheckpoints++;
                        idle();
                    }
                    return;
                }
                host.sync();
                host.published();
            } else {
                unsynced = true;
                if (System.nanoTime() - lastSync >= relaxedSyncNanos) {
                    syncNow();
                }
            }
        } catch (FailedAfterDurable e) {
            try {
                recover(e);
            } finally {
                // durable: the reopened store holds this group, and the disk does even if reopening failed
                complete(written, results);
            }
            return;
        } catch (RuntimeException | Error e) {
            recover(e);
            fail(group, host.map(e)); // no effect on tasks already failed alone
            return;
        }
        complete(written, results);
        if (durability == Durability.SYNC) {
            if (onWriterThread) {
                idle();
            } else if (!checkpointQueued && host.checkpointDue()) {
                checkpointQueued = true;
                enqueue(CHECKPOINT);
            }
        }
    }

    /**
     * While the group before is still being synced, the next queued task joins this group instead of
     * waiting for the next one: the writer thread stages it rather than wait for the sync, and the
     * two groups' tasks share the next sync. Only lock holders take tasks from the queue, so the one
     * peeked at is the one taken.
     */
    private void joinWhileSyncing(List<CommitTask<?>> group) {
        PendingSync p = pending;
        if (p == null || p.done.isDone() || group.size() >= MAX_GROUP_TASKS) {
            return;
        }
        CommitTask<?> next = queue.peek();
        if (next != null && next != STOP && next != CHECKPOINT) {
            group.add(queue.poll());
        }
    }

    /**
     * Under the lock, before the files' next operation: waits for the pending deferred sync and
     * finishes it, or, if it failed, reopens the store without its group, then fails the group's
     * tasks.
     *
     * @return the failure of the pending sync (the store has recovered from it), or null
     */
    private Throwable settle() {
        PendingSync p = pending;
        if (p == null) {
            return null;
        }
        pending = null;
        p.done.join(); // not interruptible: the sync's outcome decides what the store holds; it records its failure
        Throwable failure = p.failure;
        if (failure == null) {
            try {
                p.sync.finish();
            } catch (RuntimeException | Error e) {
                failure = e; // the group is acknowledged and durable: the reopened store has it
            }
        }
        if (failure != null) {
            reopen(failure);
            if (p.failure != null) {
                // failed only now that the store reopened without them, so that what their
                // writers read next is what is on disk
                fail(p.tasks, host.map(failure));
            }
        }
        return failure;
    }

    /** Recovers from a failed commit, once the pending deferred sync is settled. */
    private void recover(Throwable failure) {
        try {
            settle();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        reopen(failure);
    }

    /**
     * Reopens the store after {@code failure}. If that fails too, writers still see {@code failure}
     * (a full disk, not the reopening's error), and the store tries again before its next group
     * and whenever it is idle ({@link Host#retryRecovery}).
     */
    private void reopen(Throwable failure) {
        try {
            host.recover(failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** A group's deferred sync: run on the syncer, it syncs, then acknowledges the group's tasks. */
    private final class PendingSync {
        final DeferredSync sync;
        final List<CommitTask<?>> tasks;
        final List<Object> results;
        /** Completes, never exceptionally, once the sync ran; {@link #failure} says how it went. */
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Throwable failure;

        /** Starts the sync on the syncer thread. */
        PendingSync(DeferredSync sync, List<CommitTask<?>> tasks, List<Object> results) {
            this.sync = sync;
            this.tasks = tasks;
            this.results = results;
            syncer.execute(this::run);
        }

        private void run() {
            try {
                sync.sync();
                complete(tasks, results);
            } catch (RuntimeException | Error e) {
                failure = e; // its tasks fail once the store has recovered (settle)
            } finally {
                done.complete(null);
                LockSupport.unpark(thread); // the writer thread may be waiting for this sync alone
            }
        }
    }

    /** Offers the store a checkpoint; a failure there reopens the store, and fails no writer. */
    private void idle() {
        settle();
        try {
            host.retryRecovery();
        } catch (RuntimeException e) {
            return; // still not open: tried again at the next idle moment or group
        }
        try {
            host.idle();
        } catch (RuntimeException e) {
            reopen(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(List<CommitTask<?>> tasks, List<Object> results) {
        for (int i = 0; i < tasks.size(); i++) {
            ((CommitTask<Object>) tasks.get(i)).future.complete(results.get(i));
        }
    }

    private void syncNow() {
        settle();
        try {
            host.sync();
            host.published();
            host.idle();
        } catch (RuntimeException e) {
            reopen(e);
        }
        unsynced = false;
        lastSync = System.nanoTime();
    }

    private void fail(List<CommitTask<?>> tasks, Throwable e) {
        for (CommitTask<?> t : tasks) {
            t.future.completeExceptionally(e);
        }
    }
}
