package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
     * The write queued before this one that must be staged first and must not have failed for this
     * one to be applied; null once staged (so that an import's writes do not hold each other in
     * memory).
     */
    private LocalWrite predecessor;
    /** Whether the result lists the documents written (an import needs only the count). */
    private final boolean documents;
    /** The field encoder's job, started before this write was queued; null if none. */
    private FieldEncoder.Job early;

    /**
     * @param engine             the store
     * @param mutations          the changes
     * @param skipDeleteOfAbsent whether a delete of a missing or deleted document writes nothing
     *                           (its result is then null)
     */
    LocalWrite(StoreEngine engine, List<Mutation> mutations, boolean skipDeleteOfAbsent) {
        this(engine, mutations, skipDeleteOfAbsent, null, true);
    }

    /**
     * @param engine             the store
     * @param mutations          the changes
     * @param skipDeleteOfAbsent whether a delete of a missing or deleted document writes nothing
     * @param predecessor        a write queued before this one that must not have failed for this one
     *                           to be applied (the previous batch of an import), or null
     * @param documents          whether the result lists the documents written; if not, it is an
     *                           empty list
     */
    LocalWrite(StoreEngine engine, List<Mutation> mutations, boolean skipDeleteOfAbsent, LocalWrite predecessor, boolean documents) {
        this.engine = engine;
        this.mutations = mutations;
        this.skipDeleteOfAbsent = skipDeleteOfAbsent;
        this.predecessor = predecessor;
        this.documents = documents;
    }

    /**
     * Hands a large write's puts to the store's field encoder now, before the write is queued: while
     * the writes queued before it commit, the helper encodes its fields (see {@link FieldEncoder}).
     *
     * @return this
     */
    LocalWrite encodeEarly() {
        if (early == null && mutations.size() >= FieldEncoder.MIN_MUTATIONS) {
            early = engine.fieldEncoder.start(mutations);
        }
        return this;
    }

    /** @return how many changes this write holds */
    int size() {
        return mutations.size();
    }

    /** One mutation staged: its operation, the document before and after, both records. */
    private record Step(Operation op, DocState before, DocState after, byte[] record, byte[] logRecord, boolean append) {
    }

    @Override
    boolean readyToStage() {
        LocalWrite p = predecessor;
        return p == null || p.staged || p.future.isDone();
    }

    @Override
    Staged<List<Document>> stage() {
        // The predecessor was staged before this (readyToStage), in this group or an earlier one:
        // by now it has failed (its future completed exceptionally, by its own stage or by its
        // group's commit), or it succeeded, or it is in this group, whose failure fails this too.
        CompletableFuture<?> before = predecessor == null ? null : predecessor.future;
        predecessor = null;
        if (before != null && before.isCompletedExceptionally()) {
            if (early != null) {
                early.cancel();
            }
            throw new BlazeException(failureOf(before).code(), "Not applied: a batch before it in the same import failed");
        }
        // per collection, the states this task staged, by id
        Map<String, Map<String, DocState>> states = new HashMap<>();
        // per collection, the greatest id in its map or staged by this task so far
        Map<String, String> lastIds = new HashMap<>();
        List<Step> steps = new ArrayList<>(mutations.size());
        long sequence = engine.appliedVersion.get(engine.nodeId);
        int[] fieldsAt = new int[2];
        FieldEncoder.Job encoded = early != null ? early
                : mutations.size() >= FieldEncoder.MIN_MUTATIONS ? engine.fieldEncoder.start(mutations) : null;
        early = null;
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
            List<Document> results = documents ? new ArrayList<>(steps.size()) : List.of();
            List<Operation> ops = new ArrayList<>(steps.size());
            List<byte[]> logRecords = new ArrayList<>(steps.size());
            for (Step s : steps) {
                if (s == null) {
                    if (documents) {
                        results.add(null);
                    }
                    continue;
                }
                engine.writeDocument(s.op.collection(), s.op.documentId(), s.before, s.after, s.record, s.append);
                ops.add(s.op);
                logRecords.add(s.logRecord);
                if (documents) {
                    results.add(s.after.toDocument(s.op.collection(), s.op.documentId()));
                }
            }
            engine.appendLogs(ops, logRecords, 0); // local operations: the feeds decode them from the log
            return results;
        };
    }

    /** @return the error a failed write's result holds */
    private static BlazeException failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            if (e.getCause() instanceof BlazeException b) {
                return b;
            }
        }
        return new BlazeException(ErrorCode.IO_FAILURE, "failed");
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
