package org.blazedb.api;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * One change to one document, as it is logged and replicated. Every local write produces exactly
 * one operation; replicas exchange operations and apply them idempotently.
 *
 * @param id         the operation's identity
 * @param stamp      its hybrid logical clock stamp
 * @param collection the collection of the document
 * @param documentId the id of the document
 * @param kind       what it does
 * @param fields     for {@link OperationKind#PUT} the new fields; for {@link OperationKind#PATCH} the
 *                   fields it sets; empty for {@link OperationKind#DELETE}
 * @param unset      for {@link OperationKind#PATCH} the fields it removes, in {@link Value#KEY_ORDER};
 *                   otherwise empty
 * @param context    the version vector of the document as the writer saw it (the operations on this
 *                   document it had applied); an incoming operation whose context does not cover
 *                   the local document's last change is concurrent with it: a conflict
 */
public record Operation(OpId id, Hlc stamp, String collection, String documentId, OperationKind kind,
                        MapValue fields, SortedSet<String> unset, VersionVector context) {
    private static final SortedSet<String> NO_UNSET =
            java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Value.KEY_ORDER));

    /**
     * Checks the invariants above.
     *
     * @param id         identity
     * @param stamp      clock stamp, issued by {@code id.origin()}
     * @param collection collection name
     * @param documentId document id
     * @param kind       kind
     * @param fields     fields
     * @param unset      removed fields, copied
     * @param context    the writer's view of the document
     */
    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(context, "context");
        if (!stamp.node().equals(id.origin())) {
            throw new IllegalArgumentException("Operation " + id + " carries a stamp of another node: " + stamp);
        }
        unset = unsetOf(Objects.requireNonNull(unset, "unset"));
        if (kind != OperationKind.PATCH && !unset.isEmpty()) {
            throw new IllegalArgumentException("Only a PATCH removes fields");
        }
        if (kind == OperationKind.DELETE && fields.size() > 0) {
            throw new IllegalArgumentException("A DELETE carries no fields");
        }
    }

    /** @return an empty set of unset fields, for operations that remove none */
    public static SortedSet<String> noUnset() {
        return NO_UNSET;
    }

    /** @param names field names @return them as a sorted unset set */
    public static SortedSet<String> unsetOf(Set<String> names) {
        if (names.isEmpty()) {
            // Nearly every operation removes no field: share one empty set instead of copying.
            return NO_UNSET;
        }
        TreeSet<String> sorted = new TreeSet<>(Value.KEY_ORDER);
        sorted.addAll(names);
        return java.util.Collections.unmodifiableSortedSet(sorted);
    }
}
