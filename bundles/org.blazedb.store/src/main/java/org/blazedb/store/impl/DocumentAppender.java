package org.blazedb.store.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.h2.mvstore.MVMap;

/**
 * Appends the records of a large batch of new documents to their collection's map on a second
 * thread while the committing thread appends the batch's log records and does the rest of its
 * bookkeeping: the two maps are independent, and each keeps a single writer (the committing thread
 * does not touch the documents map until the job is done; {@code MVMap.append} is for one writer).
 * The committing thread waits for the job before the task's write returns, so nothing after it
 * (another task of the group, the commit) ever sees the map half-appended by two threads.
 */
final class DocumentAppender implements AutoCloseable {
    /**
     * The system property that turns the appender off when {@code false} (default {@code true}), so
     * that one build can be measured both ways; read when a store opens.
     */
    static final String PROPERTY = "blaze.store.appender";
    /** Batches with fewer new documents are appended by the committing thread: the hand-off would cost more. */
    static final int MIN_DOCUMENTS = 128;

    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    DocumentAppender(String storeName) {
        thread = new Thread(this::run, "blaze-store-" + storeName + "-appender");
        thread.setDaemon(true);
        thread.start();
    }

    /** The records to append to one map, in id order; done once every one is appended (or failed). */
    static final class Job {
        private final MVMap<String, byte[]> map;
        private final String[] ids;
        private final byte[][] records;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        private Job(MVMap<String, byte[]> map, String[] ids, byte[][] records) {
            this.map = map;
            this.ids = ids;
            this.records = records;
        }

        /** Waits until the records are in the map; rethrows what failed there. */
        void await() {
            try {
                done.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    /**
     * @param map     a documents map, none of whose records the caller touches until {@link Job#await}
     * @param ids     ids greater than every id of the map, increasing
     * @param records their records
     * @return the job, or null when closed (the caller appends them itself)
     */
    Job start(MVMap<String, byte[]> map, String[] ids, byte[][] records) {
        if (closed) {
            return null;
        }
        Job job = new Job(map, ids, records);
        jobs.add(job);
        return job;
    }

    private void run() {
        while (!closed) {
            Job job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                for (int i = 0; i < job.ids.length; i++) {
                    job.map.append(job.ids[i], job.records[i]);
                }
                job.done.complete(null);
            } catch (RuntimeException | Error e) {
                job.done.completeExceptionally(e);
            }
        }
        for (Job job; (job = jobs.poll()) != null; ) {
            job.done.completeExceptionally(new IllegalStateException("The store's appender closed"));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
