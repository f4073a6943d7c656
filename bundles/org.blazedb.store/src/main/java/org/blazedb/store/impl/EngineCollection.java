package org.blazedb.store.impl;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Mutation;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.Patch;
import org.blazedb.api.Query;
import org.blazedb.api.value.MapValue;

/** A {@link Collection} of a {@link StoreEngine}: a name and the engine; holds no state of its own. */
final class EngineCollection implements Collection {
    private final StoreEngine engine;
    private final String name;

    EngineCollection(StoreEngine engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Document> get(String id) {
        return engine.get(name, id, false);
    }

    @Override
    public Optional<Document> getIncludingDeleted(String id) {
        return engine.get(name, id, true);
    }

    @Override
    public Document put(String id, MapValue fields) {
        return write(new Mutation(OperationKind.PUT, name, id, Objects.requireNonNull(fields, "fields"), Operation.noUnset()));
    }

    @Override
    public Document patch(String id, Patch patch) {
        return write(new Mutation(OperationKind.PATCH, name, id, patch.set(), patch.unset()));
    }

    @Override
    public boolean delete(String id) {
        return write(new Mutation(OperationKind.DELETE, name, id, MapValue.EMPTY, Operation.noUnset())) != null;
    }

    private Document write(Mutation m) {
        return engine.submit(new LocalWrite(engine, List.of(m), true)).get(0);
    }

    @Override
    public Cursor<Document> scan(String fromId) {
        engine.checkOpen();
        return Cursors.of(Cursors.entries(() -> engine.readableFiles().docs(name, false), fromId == null || fromId.isEmpty() ? null : fromId, null),
                e -> DocumentRecords.isTombstone(e.getValue()) ? null : DocumentRecords.decodeDocument(name, e.getKey(), e.getValue()),
                Long.MAX_VALUE);
    }

    @Override
    public Cursor<Document> find(Query query) {
        engine.checkOpen();
        return new QueryRunner(engine, name, query).run();
    }

    @Override
    public long count() {
        engine.checkOpen();
        CollectionInfo info = engine.catalog.get(name);
        return info == null ? 0 : info.live();
    }

    @Override
    public void createIndex(String field) {
        checkField(field);
        engine.submit(new CommitTask<Void>() {
            @Override
            Staged<Void> stage() {
                CollectionInfo info = engine.catalog.get(name);
                if (info != null && info.indexes().containsKey(field)) {
                    return () -> null;
                }
                engine.checkIndexNumberLeft();
                return () -> {
                    engine.setIndex(name, field, true);
                    return null;
                };
            }
        });
    }

    @Override
    public boolean dropIndex(String field) {
        checkField(field);
        return engine.submit(new CommitTask<Boolean>() {
            @Override
            Staged<Boolean> stage() {
                CollectionInfo info = engine.catalog.get(name);
                if (info == null || !info.indexes().containsKey(field)) {
                    return () -> false;
                }
                return () -> {
                    engine.setIndex(name, field, false);
                    return true;
                };
            }
        });
    }

    @Override
    public SortedSet<String> indexes() {
        CollectionInfo info = engine.catalog.get(name);
        return info == null ? new TreeSet<>() : new TreeSet<>(info.indexes().keySet());
    }

    private static void checkField(String field) {
        if (field == null || field.isEmpty()) {
            throw new BlazeException(ErrorCode.INVALID_QUERY, "An index needs a field name");
        }
    }

    @Override
    public String toString() {
        return engine.name() + "/" + name;
    }
}
