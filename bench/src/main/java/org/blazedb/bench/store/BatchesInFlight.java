package org.blazedb.bench.store;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.blazedb.api.Document;
import org.blazedb.api.Store;
import org.blazedb.api.WriteBatch;

/**
 * An import's window of batches in flight, as {@code blaze:import} keeps it: each batch goes to
 * {@link Store#writeAsync}, and once {@code limit} are in flight the oldest is waited for, so that
 * the next batch is built while the store commits the ones before.
 */
final class BatchesInFlight {
    private final Store store;
    private final int limit;
    private final ArrayDeque<CompletableFuture<List<Document>>> inFlight = new ArrayDeque<>();

    /** @param store where the batches go @param limit the most batches in flight */
    BatchesInFlight(Store store, int limit) {
        this.store = store;
        this.limit = limit;
    }

    /** Submits a batch; waits for the oldest first if {@code limit} are in flight. */
    void submit(WriteBatch batch) {
        inFlight.add(store.writeAsync(batch));
        if (inFlight.size() >= limit) {
            inFlight.remove().join();
        }
    }

    /** Waits until every batch submitted is durable. */
    void finish() {
        while (!inFlight.isEmpty()) {
            inFlight.remove().join();
        }
    }
}
