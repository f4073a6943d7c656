package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Mutation;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;

/**
 * Local writes: each mutation becomes one operation, stamped by the node's clock, numbered in the
 * node's sequence, carrying the document's version vector as its context. All are staged (and
 * validated) before any is written, so a batch is applied whole or not at all.
 */
final class LocalWrite extends CommitTask<List<Document>> {
    private final StoreEngine engine;
    private final List<Mutation> mutations;
    private final boolean skipDeleteOfAbsent;

    /**
     * @param engine             the store
     * @param mutations          the changes
     * @param skipDeleteOfAbsent whether a delete of a missing or deleted document writes nothing
     *                           (its result is then null)
     */
    LocalWrite(StoreEngine engine, List<Mutation> mutations, boolean skipDeleteOfAbsent) {
        this.engine = engine;
        this.mutations = mutations;
        this.skipDeleteOfAbsent = skipDeleteOfAbsent;
    }

    /** One mutation staged: its operation, the document before and after, both records. */
    private record Step(Operation op, DocState before, DocState after, byte[] record, byte[] logRecord, boolean append) {
    }

    @Override
    Staged<List<Document>> stage() {
        Map<String, DocState> states = new HashMap<>();
        // per collection, the greatest id in its map or put by this task so far: a put of a greater id
        // creates a document (nothing to read) and may be appended to the map (see writeDocument)
        Map<String, String> lastIds = new HashMap<>();
        List<Step> steps = new ArrayList<>(mutations.size());
        long first = engine.appliedVersion.get(engine.nodeId);
        long sequence = first;
        int[] fieldsAt = new int[2];
        for (Mutation m : mutations) {
            String collection = Names.collection(m.collection());
            String id = Names.id(m.documentId());
            String key = collection + '\u0000' + id;
            DocState before = states.get(key);
            boolean append = false;
            if (before == null) {
                if (m.kind() == OperationKind.PUT) {
                    String last = lastIds.computeIfAbsent(collection, engine::lastDocumentId);
                    append = IdKeyType.INSTANCE.compare(id, last) > 0;
                }
                if (append) {
                    before = DocState.empty(); // greater than every id in the map: not there
                    lastIds.put(collection, id);
                } else {
                    before = engine.readState(collection, id);
                }
            }
            if (m.kind() == OperationKind.PATCH && !before.live()) {
                throw new BlazeException(ErrorCode.NOT_FOUND, "No document '" + id + "' in collection '" + collection
                        + "' to patch: put it first");
            }
            if (m.kind() == OperationKind.DELETE && skipDeleteOfAbsent && !before.live()) {
                steps.add(null);
                continue;
            }
            Operation op = new Operation(new OpId(engine.nodeId, ++sequence), engine.clock.now(), collection, id, m.kind(),
                    m.fields(), m.unset(), before.vector);
            DocState after = before.copy();
            after.apply(op);
            byte[] record = DocumentRecords.encode(after, collection, id, fieldsAt, engine.scratch);
            // the usual put leaves exactly its fields: its log record copies their bytes from the
            // document record instead of encoding them again
            byte[] logRecord = m.kind() == OperationKind.PUT && after.uniformFields() == op.fields()
                    ? LogRecords.encodePut(op, record, fieldsAt[0], fieldsAt[1], engine.scratch) : LogRecords.encode(op, engine.scratch);
            steps.add(new Step(op, before, after, record, logRecord, append));
            states.put(key, after);
        }
        long last = sequence;
        return () -> {
            List<Document> results = new ArrayList<>(steps.size());
            for (Step s : steps) {
                if (s == null) {
                    results.add(null);
                    continue;
                }
                engine.writeDocument(s.op.collection(), s.op.documentId(), s.before, s.after, s.record, s.append);
                engine.appendLogRecord(s.op, s.logRecord);
                results.add(s.after.toDocument(s.op.collection(), s.op.documentId()));
            }
            if (last != first) {
                engine.appliedVersion = engine.appliedVersion.with(engine.nodeId, last);
            }
            return results;
        };
    }
}
