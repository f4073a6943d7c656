package org.blazedb.shell.impl;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.Store;
import org.blazedb.api.WriteBatch;

/**
 * An import's batches in flight: each is handed to {@link Store#writeAsync} and counted on the
 * progress bar only once the store acknowledges it (durable), so the command parses the next batch
 * while the store commits the ones before. At most {@code limit} batches wait at a time, which
 * bounds the memory of an import of any size.
 */
final class ImportBatches {
    private record InFlight(CompletableFuture<List<Document>> done, int documents, long bytes) {
    }

    private final Store store;
    private final int limit;
    private final Progress progress;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private long durable;

    /**
     * @param store    where the batches go
     * @param limit    the most batches in flight
     * @param progress advanced by each batch's documents and bytes once it is durable
     */
    ImportBatches(Store store, int limit, Progress progress) {
        this.store = store;
        this.limit = limit;
        this.progress = progress;
    }

    /**
     * Submits a batch; waits for the oldest first if {@code limit} are in flight.
     *
     * @param batch the documents (not changed afterwards by the store; the caller may drop it)
     * @param bytes the input bytes they came from, for the progress bar
     * @throws BlazeException if a batch before it failed (see {@link #failure})
     */
    void submit(WriteBatch batch, long bytes) {
        while (inFlight.size() >= limit) {
            awaitOldest();
        }
        inFlight.add(new InFlight(store.writeAsync(batch), batch.size(), bytes));
    }

    /**
     * Waits for every batch in flight.
     *
     * @return the documents imported and durable so far
     * @throws BlazeException if one of them failed (see {@link #failure})
     */
    long finish() {
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
        return durable;
    }

    private void awaitOldest() {
        InFlight oldest = inFlight.peek();
        try {
            oldest.done.join();
        } catch (CompletionException e) {
            throw failure(e.getCause());
        }
        inFlight.remove();
        durable += oldest.documents;
        progress.advance(oldest.documents, oldest.bytes);
    }

    /**
     * The error a failed batch ends the import with. The batches in flight after it may have failed
     * with it (the store fails what was written after a failed sync) or succeeded (a batch that fails
     * its own check, such as a document over the size limit, fails alone): it waits for them, so
     * that the message counts every document that is durable.
     */
    private RuntimeException failure(Throwable cause) {
        inFlight.remove();
        long after = 0;
        for (InFlight later : inFlight) {
            if (later.done.handle((documents, error) -> error == null).join()) {
                after += later.documents;
            }
        }
        inFlight.clear();
        String what = "the import stopped at a failed batch: " + durable + " documents before it are imported and durable"
                + (after == 0 ? ", none after it" : ", and " + after + " of the batches that were in flight after it");
        if (cause instanceof BlazeException b) {
            return new BlazeException(b.code(), b.getMessage() + " (" + what + ")", b);
        }
        return new IllegalStateException(cause + " (" + what + ")", cause);
    }
}
