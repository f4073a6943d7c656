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
        // per collection, the states this task staged, by id
        Map<String, Map<String, DocState>> states = new HashMap<>();
        // per collection, the greatest id in its map or staged by this task so far
        Map<String, String> lastIds = new HashMap<>();
        List<Step> steps = new ArrayList<>(mutations.size());
        long sequence = engine.appliedVersion.get(engine.nodeId);
        int[] fieldsAt = new int[2];
        FieldEncoder.Job encoded = mutations.size() >= FieldEncoder.MIN_MUTATIONS ? engine.fieldEncoder.start(mutations) : null;
        try {
            for (int i = 0; i < mutations.size(); i++) {
                if (stageOne(i, mutations.get(i), encoded, states, lastIds, steps, sequence + 1, fieldsAt)) {
                    sequence++; // the operation took it (a skipped delete takes none)
                }
            }
        } finally {
            if (encoded != null) {
                encoded.cancel();
            }
        }
        return () -> {
            List<Document> results = new ArrayList<>(steps.size());
            List<Operation> ops = new ArrayList<>(steps.size());
            List<byte[]> logRecords = new ArrayList<>(steps.size());
            for (Step s : steps) {
                if (s == null) {
                    results.add(null);
                    continue;
                }
                engine.writeDocument(s.op.collection(), s.op.documentId(), s.before, s.after, s.record, s.append);
                ops.add(s.op);
                logRecords.add(s.logRecord);
                results.add(s.after.toDocument(s.op.collection(), s.op.documentId()));
            }
            engine.appendLogs(ops, logRecords, 0); // local operations: the feeds decode them from the log
            return results;
        };
    }

    /**
     * Stages mutation {@code i}: reads (or knows) the document's state, makes its operation with
     * sequence number {@code sequence}, and encodes both records; adds a step, or null for a delete
     * of a missing document that writes nothing.
     *
     * @return whether an operation was made (and took {@code sequence})
     */
    private boolean stageOne(int i, Mutation m, FieldEncoder.Job encoded, Map<String, Map<String, DocState>> states, Map<String, String> lastIds,
                             List<Step> steps, long sequence, int[] fieldsAt) {
        String collection = Names.collection(m.collection());
        String id = Names.id(m.documentId());
        Map<String, DocState> staged = states.computeIfAbsent(collection, c -> new HashMap<>(mutations.size() * 4 / 3 + 1));
        // An id greater than every id in the map and than every id this task staged before (all of
        // which are at most the last one) is in neither: nothing to read, and its record can be
        // appended to the map (see StoreEngine.writeDocument).
        String last = lastIds.computeIfAbsent(collection, engine::lastDocumentId);
        boolean append = IdKeyType.INSTANCE.compare(id, last) > 0;
        DocState before;
        if (append) {
            before = DocState.empty();
            lastIds.put(collection, id);
        } else {
            before = staged.get(id);
            if (before == null) {
                before = engine.readState(collection, id);
            }
        }
        if (m.kind() == OperationKind.PATCH && !before.live()) {
            throw new BlazeException(ErrorCode.NOT_FOUND, "No document '" + id + "' in collection '" + collection
                    + "' to patch: put it first");
        }
        if (m.kind() == OperationKind.DELETE && skipDeleteOfAbsent && !before.live()) {
            steps.add(null);
            return false;
        }
        Operation op = new Operation(new OpId(engine.nodeId, sequence), engine.clock.now(), collection, id, m.kind(),
                m.fields(), m.unset(), before.vector);
        DocState after = before.copy();
        after.apply(op);
        // the usual put leaves exactly its fields: both records then take them as encoded once (by
        // the field encoder when it got there first), the log record copying them from the document's
        boolean plainPut = m.kind() == OperationKind.PUT && after.uniformFields() == op.fields();
        byte[] fields = plainPut && encoded != null ? encoded.get(i) : null;
        byte[] record = DocumentRecords.encode(after, collection, id, fields, fieldsAt, engine.scratch);
        byte[] logRecord = plainPut
                ? LogRecords.encodePut(op, record, fieldsAt[0], fieldsAt[1], engine.scratch) : LogRecords.encode(op, engine.scratch);
        steps.add(new Step(op, before, after, record, logRecord, append));
        staged.put(id, after);
        return true;
    }
}
