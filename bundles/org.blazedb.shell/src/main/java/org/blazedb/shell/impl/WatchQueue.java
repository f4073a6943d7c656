package org.blazedb.shell.impl;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;

/**
 * The listener of {@code blaze:watch}: the store's delivery thread queues changes, the command's
 * thread prints them. A full queue holds the store's delivery (never its writers) while the watch
 * runs; once {@link #close()} is called, delivery never waits again. The store's feed waits only a
 * little for its thread when the listener goes away, so a thread still blocked on a full queue then
 * would stay blocked for good.
 */
final class WatchQueue implements ChangeListener {
    /** The most changes waiting to be printed. */
    static final int CAPACITY = 10_000;
    /** How long a delivery waits for room before it checks again whether the watch has ended. */
    private static final long OFFER_MILLIS = 100;

    private final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final boolean fromStart;
    private volatile boolean closed;

    /** @param fromStart replay from the first change instead of starting now */
    WatchQueue(boolean fromStart) {
        this.fromStart = fromStart;
    }

    @Override
    public void onChanges(List<Change> changes) {
        try {
            for (Change c : changes) {
                while (!queue.offer(c, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        return; // nobody prints them any more: drop the rest, and let the store's thread end
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long resumeAfter() {
        return fromStart ? FROM_START : FROM_NOW;
    }

    /**
     * @param millis how long to wait for a change
     * @return the next change, null if none came in time
     * @throws InterruptedException if the command is interrupted (Ctrl-C)
     */
    Change poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends the watch; call it before the listener is unregistered, which waits for the delivery
     * thread. Clearing the queue lets a delivery waiting for room go on at once, and see it closed.
     */
    void close() {
        closed = true;
        queue.clear();
    }
}
