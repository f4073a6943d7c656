package org.blazedb.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A sequence of {@link WriteBatch}es committed in order, with up to a fixed number of them queued or
 * being committed at once (see {@link Store#beginImport(int)}). While batch N is written and made
 * durable by the store's group commit, the caller prepares and submits batch N+1, so building the
 * next batch overlaps the commit of the previous one.
 *
 * <p>Guarantees, the same as {@link Store#write(WriteBatch)} gives each batch, plus order:
 * <ul>
 *   <li>each batch is atomic, and is <em>acknowledged</em> only once it is durable as the store's
 *       durability mode requires (counted by {@link #acknowledgedBatches()});</li>
 *   <li>batches are applied, logged and acknowledged in submission order;</li>
 *   <li>if a batch fails, no batch submitted after it is applied (each fails too), the import accepts
 *       no more batches, and {@link #finish()} throws an error saying which batch failed, why, and
 *       how many batches before it are durable.</li>
 * </ul>
 * One thread submits; not thread-safe.
 */
@ProviderType
public interface BatchImport extends AutoCloseable {
    /**
     * Queues the next batch for commit. Waits first while as many batches as the import allows are
     * unacknowledged.
     *
     * @param batch the changes; not to be modified afterwards
     * @throws BlazeException the failure of an earlier batch (see {@link #finish()}), or
     *                        {@link ErrorCode#STORE_CLOSED}
     */
    void submit(WriteBatch batch);

    /**
     * Waits until every submitted batch is acknowledged.
     *
     * @return the number of mutations acknowledged in all
     * @throws BlazeException if a batch failed: with that batch's error code, naming it (1 for the
     *                        first), the reason, and the batches and mutations before it, which are
     *                        durable
     */
    long finish();

    /** @return how many batches, from the first, are acknowledged (durable) so far */
    long acknowledgedBatches();

    /** @return how many mutations those batches hold */
    long acknowledgedMutations();

    /**
     * Waits for the batches still in flight, like {@link #finish()}, but does not throw their
     * failure; the import accepts no more batches.
     */
    @Override
    void close();
}
