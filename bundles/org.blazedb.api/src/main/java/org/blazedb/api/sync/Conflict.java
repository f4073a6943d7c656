package org.blazedb.api.sync;

import java.util.Objects;
import org.blazedb.api.Operation;

/**
 * An incoming operation that is concurrent with the local version of its document: neither
 * writer had seen the other's change.
 *
 * @param collection the collection
 * @param documentId the document
 * @param local      the document as this replica has it
 * @param incoming   the document as the deterministic merge leaves it with the incoming operation
 *                   applied (the result that is kept, and replicated, when the resolver returns it)
 * @param operation  the incoming operation
 */
public record Conflict(String collection, String documentId, DocumentVersion local, DocumentVersion incoming,
                       Operation operation) {
    /** @param collection c @param documentId d @param local l @param incoming i @param operation o */
    public Conflict {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(incoming, "incoming");
        Objects.requireNonNull(operation, "operation");
    }
}
