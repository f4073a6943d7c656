package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Operation;

/**
 * Delivers committed changes to {@link ChangeListener}s. Each listener has its own thread and its
 * own position in the operation log: it reads at most {@link #MAX_BATCH} changes after its position,
 * hands them over, and only then moves on. A listener that throws gets the same batch again after a
 * back-off; a slow one falls behind without holding anything in memory or delaying writers or
 * other listeners, since the log itself is the queue.
 */
final class ChangeFeeds {
    /** The most changes in one {@link ChangeListener#onChanges} call. */
    static final int MAX_BATCH = 1000;
    /** The longest back-off after a listener failure. */
    static final long MAX_BACKOFF_MILLIS = 5000;
    private static final System.Logger LOG = System.getLogger(ChangeFeeds.class.getName());

    private final String storeName;
    private final StoreEngine engine;
    private final Object signal = new Object();
    private final Set<Feed> feeds = ConcurrentHashMap.newKeySet();
    private final RecentOperations recent = new RecentOperations();

    ChangeFeeds(String storeName, StoreEngine engine) {
        this.storeName = storeName;
        this.engine = engine;
    }

    AutoCloseable add(ChangeListener listener, Set<String> collections) {
        long resume = listener.resumeAfter();
        long start = resume < 0 ? engine.durablePosition() : resume;
        Feed feed = new Feed(listener, Set.copyOf(collections), start);
        feeds.add(feed);
        feed.thread.start();
        return feed::close;
    }

    /**
     * Commit thread, under the commit lock: {@code op} was appended at {@code position} as
     * {@code record}; kept at hand so that feeds need not decode it again.
     */
    void appended(long position, byte[] record, Operation op) {
        if (!feeds.isEmpty()) {
            recent.appended(position, record, op);
        }
    }

    /** Called after each durable commit. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    void close() {
        for (Feed f : List.copyOf(feeds)) {
            f.close();
        }
    }

    private final class Feed implements Runnable {
        final ChangeListener listener;
        final Set<String> collections;
        final Thread thread;
        volatile boolean closed;
        /** Written by this feed's thread only; read by the others to release recent operations. */
        volatile long position;

        Feed(ChangeListener listener, Set<String> collections, long start) {
            this.listener = listener;
            this.collections = collections;
            this.position = start;
            this.thread = new Thread(this, "blaze-store-" + storeName + "-listener-" + listener.getClass().getSimpleName());
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long backoff = 0;
            while (!closed) {
                try {
                    if (!awaitChanges()) {
                        return;
                    }
                    long[] last = {position};
                    List<Change> batch = read(last);
                    if (!batch.isEmpty()) {
                        listener.onChanges(batch);
                    }
                    position = last[0];
                    releaseRead();
                    backoff = 0;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | Error e) {
                    if (closed) {
                        return;
                    }
                    backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(50, backoff * 2));
                    LOG.log(System.Logger.Level.WARNING, "Change listener " + listener.getClass().getName() + " of store '" + storeName
                            + "' failed after position " + position + "; offering the same changes again in " + backoff + " ms", e);
                    if (!pause(backoff)) {
                        return;
                    }
                }
            }
        }

        private boolean awaitChanges() throws InterruptedException {
            synchronized (signal) {
                while (!closed && engine.durablePosition() <= position) {
                    signal.wait(1000);
                }
            }
            return !closed;
        }

        private boolean pause(long millis) {
            long deadline = System.nanoTime() + millis * 1_000_000;
            synchronized (signal) {
                try {
                    for (long left; !closed && (left = deadline - System.nanoTime()) > 0; ) {
                        signal.wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !closed;
        }

        /** Reads the next changes after {@code last[0]}; sets it to the last position examined. */
        private List<Change> read(long[] last) {
            long end = engine.durablePosition();
            List<Change> batch = new ArrayList<>();
            Iterator<Map.Entry<Long, byte[]>> i = Cursors.entries(() -> engine.readableFiles().log, last[0] + 1, end);
            while (i.hasNext() && batch.size() < MAX_BATCH) {
                Map.Entry<Long, byte[]> e = i.next();
                Operation op = recent.get(e.getKey(), e.getValue());
                if (op == null) {
                    op = LogRecords.decode(e.getKey(), e.getValue());
                }
                last[0] = e.getKey();
                if (collections.isEmpty() || collections.contains(op.collection())) {
                    batch.add(engine.change(e.getKey(), op));
                }
            }
            return batch;
        }

        /** Releases the recent operations every feed has read. */
        private void releaseRead() {
            long min = Long.MAX_VALUE;
            for (Feed f : feeds) {
                min = Math.min(min, f.position);
            }
            if (min != Long.MAX_VALUE) {
                recent.releaseUpTo(min);
            }
        }

        void close() {
            closed = true;
            feeds.remove(this);
            wake();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
