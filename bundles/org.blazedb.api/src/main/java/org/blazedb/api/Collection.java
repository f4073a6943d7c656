package org.blazedb.api;

import java.util.Optional;
import java.util.SortedSet;
import org.blazedb.api.value.MapValue;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The documents of one named collection of a {@link Store}. Each write commits one operation
 * durably (as the store's durability mode defines) before it returns.
 *
 * <p>Collection names are 1–128 characters of {@code [A-Za-z0-9_.-]}; document ids are 1–512
 * bytes of UTF-8. Violations throw {@link BlazeException} with {@link ErrorCode#INVALID_COLLECTION}
 * or {@link ErrorCode#INVALID_ID}.
 */
@ProviderType
public interface Collection {
    /** @return the collection name */
    String name();

    /** @param id document id @return the live document, empty if absent or deleted */
    Optional<Document> get(String id);

    /** @param id document id @return the document or its tombstone, empty if never written */
    Optional<Document> getIncludingDeleted(String id);

    /**
     * Replaces (or creates) a whole document.
     *
     * @param id     document id
     * @param fields the new fields
     * @return the document as stored
     */
    Document put(String id, MapValue fields);

    /**
     * Changes some fields of a live document.
     *
     * @param id    document id
     * @param patch fields to set and remove
     * @return the document as stored
     * @throws BlazeException {@link ErrorCode#NOT_FOUND} if there is no live document with this id
     */
    Document patch(String id, Patch patch);

    /**
     * Deletes a document, leaving a tombstone so the delete replicates.
     *
     * @param id document id
     * @return whether a live document was deleted (false if absent or already deleted)
     */
    boolean delete(String id);

    /**
     * @param fromId the first id to return (inclusive); {@code ""} for the start
     * @return the live documents with ids at or after {@code fromId}, in id order
     */
    Cursor<Document> scan(String fromId);

    /** @param query filters, order and limit @return the live documents that match */
    Cursor<Document> find(Query query);

    /** @return the number of live documents */
    long count();

    /**
     * Declares a secondary index on a top-level field and builds it from existing documents. Does
     * nothing if the index exists.
     *
     * @param field the field name
     */
    void createIndex(String field);

    /** @param field the field name @return whether an index on it was dropped */
    boolean dropIndex(String field);

    /** @return the indexed fields */
    SortedSet<String> indexes();
}
