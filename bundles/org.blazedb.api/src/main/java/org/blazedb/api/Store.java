package org.blazedb.api;

import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import org.blazedb.api.dto.DocumentCacheDTO;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One local BlazeDB database: named collections of documents, an operation log, and the identity
 * and clock of this replica. Registered as an OSGi service by the store bundle, one per
 * configuration of {@link Pids#STORE}, with the service property {@link #NAME}.
 */
@ProviderType
public interface Store {
    /** Service property ({@code String}): the store's configured name, unique in the framework. */
    String NAME = "blaze.store.name";

    /** @return the store's configured name */
    String name();

    /** @return this replica's node id, stable across restarts */
    NodeId nodeId();

    /**
     * @param name collection name
     * @return the collection; it comes into existence with its first write
     * @throws BlazeException {@link ErrorCode#INVALID_COLLECTION} if the name is not valid
     */
    Collection collection(String name);

    /** @return the names of the collections that have ever been written */
    SortedSet<String> collectionNames();

    /**
     * Commits all changes of the batch atomically, one operation each.
     *
     * @param batch the changes
     * @return the resulting documents (tombstones for deletes), in batch order
     * @throws BlazeException {@link ErrorCode#NOT_FOUND} if a patch targets a missing document
     *                        (nothing of the batch is applied then)
     */
    List<Document> write(WriteBatch batch);

    /**
     * Queues the batch for the store's writer and returns at once; the batch commits atomically as
     * with {@link #write}. For imports: a caller that keeps a few batches in flight builds the next
     * while the store commits the last, and the store stages a batch while the one before it is
     * being synced to disk.
     * <p>
     * Batches a thread submits this way are committed in the order submitted, and before any write
     * the same thread makes after submitting them. The future completes once the batch is durable
     * (as for {@link #write}, in the store's durability mode); a batch that succeeds completes after
     * every batch submitted before it. If a
     * batch fails, the batches queued after it may fail too (a failed sync fails every batch
     * written after it); none of them is partly applied. Later changes to {@code batch} do not
     * affect the write.
     * <p>
     * The future completes on a thread of the store's that commits nothing, so the stages that
     * depend on it may use the store, and write to it too. They hold up the completion of the
     * batches after this one while they run.
     *
     * @param batch the changes
     * @return completes with the resulting documents, in batch order, or with the
     *         {@link BlazeException} that failed the batch
     * @throws BlazeException {@link ErrorCode#STORE_CLOSED} if the store is closed
     * @since 1.3
     */
    CompletableFuture<List<Document>> writeAsync(WriteBatch batch);

    /** @return the operation log */
    OperationLog log();

    /** @return for each origin, the highest contiguous operation sequence this store holds */
    VersionVector version();

    /** @return the counters of the store's cache of decoded documents, a new snapshot each call */
    DocumentCacheDTO documentCache();
}
