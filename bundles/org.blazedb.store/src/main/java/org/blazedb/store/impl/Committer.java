package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

        /** Commits the pending changes: appends them to the write-ahead log (not yet synced). */
        void commit();

        /** Makes what was committed durable (fdatasync of the write-ahead log). */
        void sync();

        /** Publishes everything committed so far as durable, and wakes the listeners. */
        void published();

        /** @param failure why a commit failed; discards its changes and makes the store usable again */
        void recover(Throwable failure);

        /** @param failure the failure @return it as the error writers see */
        BlazeException map(Throwable failure);

        /** Final commit and close, on the writer thread. */
        void shutdown();
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
    /** Held by whoever processes a group: the writer thread, or a writer that found it idle. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    private volatile boolean unsynced;
    /** Whether {@link #CHECKPOINT} is queued; guarded by the lock. */
    private boolean checkpointQueued;
    private long lastSync = System.nanoTime();

    Committer(String name, Host host, Durability durability, int relaxedSyncMillis) {
        this.host = host;
        this.durability = durability;
        this.relaxedSyncNanos = TimeUnit.MILLISECONDS.toNanos(relaxedSyncMillis);
        this.thread = new Thread(this::run, "blaze-store-" + name + "-writer");
        this.thread.setDaemon(true);
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
            queue.add(task);
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

    /** Stops after the queued work, commits, closes; waits for it. */
    void close() {
        closed = true;
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Processes {@code own} and whatever is queued, on the caller's thread; the lock is held. */
    private void lead(CommitTask<?> own) {
        List<CommitTask<?>> group = new ArrayList<>();
        group.add(own);
        queue.drainTo(group, MAX_GROUP_TASKS - 1);
        if (group.remove(STOP)) {
            queue.add(STOP); // closing is the writer thread's job
        }
        if (group.remove(CHECKPOINT)) {
            queue.add(CHECKPOINT); // ... and checkpointing
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
        while (!stopping) {
            try {
                CommitTask<?> first = queue.poll(unsynced ? Math.max(0, relaxedSyncNanos - (System.nanoTime() - lastSync)) : IDLE_NANOS,
                        TimeUnit.NANOSECONDS);
                lock.lock();
                try {
                    if (first == null) {
                        if (unsynced) {
                            syncNow();
                        }
                        idle();
                        continue;
                    }
                    group.add(first);
                    queue.drainTo(group, MAX_GROUP_TASKS - 1);
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
            } catch (InterruptedException e) {
                stopping = true;
            } catch (RuntimeException | Error e) {
                fail(group, e);
            } finally {
                group.clear();
            }
        }
        lock.lock();
        try {
            try {
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

    /**
     * Commits one group. In SYNC mode a checkpoint may be due after it: the writer thread offers it
     * at once; a writer that led the group leaves it to the writer thread (queuing {@link
     * #CHECKPOINT}), so that its own write returns as soon as it is durable rather than after the
     * MVStore file's commit and fsync too.
     */
    private void process(List<CommitTask<?>> group, boolean onWriterThread) {
        if (!host.hasFreeSpace()) {
            fail(group, host.map(new java.io.IOException("No space left on device (below the configured reserve)")));
            return;
        }
        List<CommitTask<?>> written = new ArrayList<>(group.size());
        List<Object> results = new ArrayList<>(group.size());
        try {
            host.beginGroup();
            for (CommitTask<?> task : group) {
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
            host.commit();
            if (durability == Durability.SYNC) {
                host.sync();
                host.published();
            } else {
                unsynced = true;
                if (System.nanoTime() - lastSync >= relaxedSyncNanos) {
                    syncNow();
                }
            }
        } catch (RuntimeException | Error e) {
            host.recover(e);
            BlazeException error = host.map(e);
            for (CommitTask<?> t : group) {
                t.future.completeExceptionally(error); // no effect on tasks already failed alone
            }
            return;
        }
        complete(written, results);
        if (durability == Durability.SYNC) {
            if (onWriterThread) {
                idle();
            } else if (!checkpointQueued && host.checkpointDue()) {
                checkpointQueued = true;
                queue.add(CHECKPOINT);
            }
        }
    }

    /** Offers the store a checkpoint; a failure there reopens the store, and fails no writer. */
    private void idle() {
        try {
            host.idle();
        } catch (RuntimeException e) {
            host.recover(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(List<CommitTask<?>> tasks, List<Object> results) {
        for (int i = 0; i < tasks.size(); i++) {
            ((CommitTask<Object>) tasks.get(i)).future.complete(results.get(i));
        }
    }

    private void syncNow() {
        try {
            host.sync();
            host.published();
            host.idle();
        } catch (RuntimeException e) {
            host.recover(e);
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
