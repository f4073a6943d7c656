package org.blazedb.store.impl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.blazedb.api.BatchImport;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.WriteBatch;

/**
 * {@link BatchImport} on the store's group commit: each batch is a {@link LocalWrite} queued for the
 * writer thread ({@link Committer#submitAsync}), which commits it while the caller builds the next.
 * Order comes from the commit queue (first queued, first staged); "nothing after a failed batch"
 * from each batch naming the one before it as its predecessor, which it checks when staged.
 */
final class OrderedImport implements BatchImport {
    /** A batch submitted and not yet acknowledged. */
    private record Pending(long number, LocalWrite task, CompletableFuture<List<Document>> result) {
    }

    private final StoreEngine engine;
    private final int inFlight;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private LocalWrite last;
    private long submitted;
    private long acknowledgedBatches;
    private long acknowledgedMutations;
    /** The error of the first batch that failed, as {@link #finish()} reports it; null while none did. */
    private BlazeException failure;
    private boolean closed;

    OrderedImport(StoreEngine engine, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("An import needs at least 1 batch in flight, not " + inFlight);
        }
        this.engine = engine;
        this.inFlight = inFlight;
    }

    @Override
    public void submit(WriteBatch batch) {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("This import is finished");
        }
        while (pending.size() >= inFlight) {
            awaitOldest();
            if (failure != null) {
                throw failure;
            }
        }
        acknowledgeDone();
        if (batch.size() == 0) {
            return; // nothing to commit, and not counted as a batch
        }
        engine.checkOpen();
        // a copy: the caller may reuse its batch while this one is still queued
        LocalWrite task = new LocalWrite(engine, List.copyOf(batch.mutations()), false, last, false).encodeEarly();
        CompletableFuture<List<Document>> result = engine.submitAsync(task);
        submitted++;
        last = task;
        pending.add(new Pending(submitted, task, result));
    }

    @Override
    public long finish() {
        close();
        if (failure != null) {
            throw failure;
        }
        return acknowledgedMutations;
    }

    @Override
    public void close() {
        closed = true;
        while (!pending.isEmpty()) {
            awaitOldest();
        }
    }

    @Override
    public long acknowledgedBatches() {
        acknowledgeDone();
        return acknowledgedBatches;
    }

    @Override
    public long acknowledgedMutations() {
        acknowledgeDone();
        return acknowledgedMutations;
    }

    /** Takes the batches already done off the front, without waiting. */
    private void acknowledgeDone() {
        while (!pending.isEmpty() && pending.peekFirst().result().isDone()) {
            awaitOldest();
        }
    }

    /** Waits for the oldest batch in flight and counts it as acknowledged, or records its failure. */
    private void awaitOldest() {
        Pending p = pending.removeFirst();
        try {
            engine.await(p.result());
            if (failure == null) {
                acknowledgedBatches++;
                acknowledgedMutations += p.task().size();
            }
        } catch (BlazeException e) {
            if (failure == null) {
                // batches are acknowledged in order: every batch before this one is durable
                failure = new BlazeException(e.code(), "Import batch " + p.number() + " failed: " + e.getMessage() + ". The "
                        + acknowledgedBatches + " batches before it (" + acknowledgedMutations
                        + " changes) are durable; nothing after it was applied", e);
            }
        }
    }

    @Override
    public String toString() {
        return "import into " + engine.name() + ": " + submitted + " batches submitted, " + acknowledgedBatches + " acknowledged"
                + (failure == null ? "" : ", failed");
    }
}
