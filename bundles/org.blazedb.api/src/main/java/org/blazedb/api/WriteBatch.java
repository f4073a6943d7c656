package org.blazedb.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.blazedb.api.value.MapValue;

/**
 * Changes to several documents, in one or more collections, that {@link Store#write(WriteBatch)}
 * commits atomically: after a crash either all of them are present or none. Not thread-safe.
 */
public final class WriteBatch {
    private final List<Mutation> mutations = new ArrayList<>();

    /** @param collection collection @param id document id @param fields the whole new document @return this batch */
    public WriteBatch put(String collection, String id, MapValue fields) {
        mutations.add(new Mutation(OperationKind.PUT, collection, id, fields, Operation.noUnset()));
        return this;
    }

    /** @param collection collection @param id document id @param patch fields to set and remove @return this batch */
    public WriteBatch patch(String collection, String id, Patch patch) {
        mutations.add(new Mutation(OperationKind.PATCH, collection, id, patch.set(), patch.unset()));
        return this;
    }

    /** @param collection collection @param id document id @return this batch */
    public WriteBatch delete(String collection, String id) {
        mutations.add(new Mutation(OperationKind.DELETE, collection, id, MapValue.EMPTY, Operation.noUnset()));
        return this;
    }

    /** @return the changes so far, in the order they were added (and will be applied) */
    public List<Mutation> mutations() {
        return Collections.unmodifiableList(mutations);
    }

    /** @return the number of changes */
    public int size() {
        return mutations.size();
    }
}
