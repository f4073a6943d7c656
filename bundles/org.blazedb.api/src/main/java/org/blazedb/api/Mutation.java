package org.blazedb.api;

import java.util.Objects;
import java.util.SortedSet;
import org.blazedb.api.value.MapValue;

/**
 * One change requested in a {@link WriteBatch}; the store turns it into an {@link Operation}.
 *
 * @param kind       what to do
 * @param collection the collection
 * @param documentId the document id
 * @param fields     new fields ({@code PUT}) or fields to set ({@code PATCH}); empty for {@code DELETE}
 * @param unset      fields to remove ({@code PATCH} only)
 */
public record Mutation(OperationKind kind, String collection, String documentId, MapValue fields,
                       SortedSet<String> unset) {
    /** @param kind kind @param collection collection @param documentId id @param fields fields @param unset removed fields */
    public Mutation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(fields, "fields");
        unset = Operation.unsetOf(Objects.requireNonNull(unset, "unset"));
    }
}
