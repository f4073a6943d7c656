package org.blazedb.api;

import java.util.Objects;
import org.blazedb.api.value.MapValue;

/**
 * One document as stored: its collection and id, its fields, and the operation that last changed
 * it. A deleted document is a tombstone: {@link #deleted()} is true and its fields are empty;
 * tombstones are kept so that deletes replicate.
 *
 * @param collection the collection name
 * @param id         the document id, unique within the collection
 * @param fields     the fields, empty for a tombstone
 * @param deleted    whether this is a tombstone
 * @param version    the clock stamp of the operation that produced this state
 * @param lastOp     the id of the operation that produced this state
 */
public record Document(String collection, String id, MapValue fields, boolean deleted, Hlc version, OpId lastOp) {
    /**
     * @param collection the collection name
     * @param id         the document id
     * @param fields     the fields, empty for a tombstone
     * @param deleted    whether this is a tombstone
     * @param version    the clock stamp of the last change
     * @param lastOp     the id of the last change
     */
    public Document {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(lastOp, "lastOp");
        if (deleted && fields.size() > 0) {
            throw new IllegalArgumentException("A tombstone has no fields");
        }
    }
}
