package org.blazedb.api;

import java.util.List;
import java.util.SortedSet;
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

    /** @return the operation log */
    OperationLog log();

    /** @return for each origin, the highest contiguous operation sequence this store holds */
    VersionVector version();

    /** @return the counters of the store's cache of decoded documents, a new snapshot each call */
    DocumentCacheDTO documentCache();
}
