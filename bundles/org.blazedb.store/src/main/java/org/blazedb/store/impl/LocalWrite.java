package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.Mutation;
import org.blazedb.api.Names;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;

/**
 * Local writes: each mutation becomes one operation, stamped by the node's clock, numbered in the
 * node's sequence, carrying the document's version vector as its context. All are staged (and
 * validated) before any is written, so a batch is applied whole or not at all.
 */
final class LocalWrite extends CommitTask<List<Document>> {
    private final StoreEngine engine;
    private final List<Mutation> mutations;
    private final boolean skipDeleteOfAbsent;
    /** The collection name the last mutation staged named, found valid. */
    private String checkedCollection;
    /** The fields' encoding, when started before the stage (a queued batch); else the stage starts it. */
    private FieldEncoder.Job encoding;

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

    /**
     * One mutation staged: the document, its state before and after, both records, and whether the
     * document record is appended to its map.
     */
    private record Step(String collection, String id, DocState before, DocState after, byte[] record, byte[] logRecord, boolean append) {
    }

    /**
     * Hands a large batch's fields to the store's encoder now, for a task that will wait in the queue:
     * the encoder works on them while the batches before are staged and committed.
     *
     * @return this task
     */
    LocalWrite encodeAhead() {
        if (mutations.size() >= FieldEncoder.MIN_MUTATIONS) {
            encoding = engine.fieldEncoder.start(mutations);
        }
        return this;
    }

    @Override
    Staged<List<Document>> stage() {
        // per collection, the states this task staged and the greatest id
        Map<String, StagedStates> states = new HashMap<>();
        List<Step> steps = new ArrayList<>(mutations.size());
        long firstSequence = engine.appliedVersion.get(engine.nodeId) + 1;
        long sequence = firstSequence;
        int[] fieldsAt = new int[2];
        FieldEncoder.Job encoded = encoding != null ? encoding
                : mutations.size() >= FieldEncoder.MIN_MUTATIONS ? engine.fieldEncoder.start(mutations) : null;
        encoding = null;
        try {
            for (int i = 0; i < mutations.size(); i++) {
                if (stageOne(i, mutations.get(i), encoded, states, steps, sequence, fieldsAt)) {
                    sequence++; // the operation took it (a skipped delete takes none)
                }
            }
        } finally {
            if (encoded != null) {
                encoded.cancel();
            }
        }
        String creations = onlyAppendedCreations(steps);
        if (creations != null) {
            return () -> writeCreations(creations, steps, firstSequence);
        }
        return () -> {
            List<Document> results = new ArrayList<>(steps.size());
            List<byte[]> logRecords = new ArrayList<>(steps.size());
            for (Step s : steps) {
                if (s == null) {
                    results.add(null);
                    continue;
                }
                engine.writeDocument(s.collection, s.id, s.before, s.after, s.record, s.append);
                logRecords.add(s.logRecord);
                results.add(s.after.toDocument(s.collection, s.id));
            }
            // the operations, this node's in sequence from firstSequence: the feeds decode them from the log
            engine.appendLocalLogs(firstSequence, logRecords);
            return results;
        };
    }

    /**
     * @return the collection when every step creates a document there with an id greater than
     *         every id before it (an import's batch), else null
     */
    private static String onlyAppendedCreations(List<Step> steps) {
        String collection = null;
        for (Step s : steps) {
            if (s == null || !s.append || s.before != ABSENT || (collection != null && !collection.equals(s.collection))) {
                return null;
            }
            collection = s.collection;
        }
        return collection;
    }

    /**
     * Writes a batch of documents created in one collection, each appended: the store's bookkeeping
     * once for all ({@link StoreEngine#writeCreatedDocuments}).
     */
    private List<Document> writeCreations(String collection, List<Step> steps, long firstSequence) {
        int n = steps.size();
        String[] ids = new String[n];
        byte[][] records = new byte[n][];
        DocState[] states = new DocState[n];
        List<byte[]> logRecords = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            ids[i] = s.id;
            records[i] = s.record;
            states[i] = s.after;
            logRecords.add(s.logRecord);
        }
        engine.writeCreatedDocuments(collection, ids, records, states);
        // the operations, this node's in sequence from firstSequence: the feeds decode them from the log
        engine.appendLocalLogs(firstSequence, logRecords);
        List<Document> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(states[i].toDocument(collection, ids[i]));
        }
        return results;
    }

    /**
     * Stages mutation {@code i}: reads (or knows) the document's state, makes its operation with
     * sequence number {@code sequence}, and encodes both records; adds a step, or null for a delete
     * of a missing document that writes nothing.
     *
     * @return whether an operation was made (and took {@code sequence})
     */
    private boolean stageOne(int i, Mutation m, FieldEncoder.Job encoded, Map<String, StagedStates> states, List<Step> steps, long sequence,
                             int[] fieldsAt) {
        // a batch names the same collection, nearly always as the same string: checked once
        String collection = m.collection() == checkedCollection ? checkedCollection : Names.collection(m.collection());
        checkedCollection = collection;
        String id = Names.id(m.documentId());
        StagedStates staged = states.get(collection); // get and put: computeIfAbsent's capturing lambda was made per mutation
        if (staged == null) {
            staged = new StagedStates(engine.lastDocumentId(collection), mutations.size());
            states.put(collection, staged);
        }
        // An id greater than every id in the map and than every id this task staged before (all of
        // which are at most the last one) is in neither: nothing to read, and its record can be
        // appended to the map (see StoreEngine.writeDocument).
        boolean append = staged.appends(id);
        DocState before = null;
        if (!append) {
            before = staged.get(id);
            if (before == null) {
                before = engine.readState(collection, id);
            }
        }
        if (m.kind() == OperationKind.PUT && (before == null || !before.exists()) && m.unset().isEmpty()) {
            stageCreation(i, m, collection, id, encoded, steps, sequence, fieldsAt, append, staged);
            return true;
        }
        if (before == null) {
            before = DocState.empty();
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
                m.fields(), m.unset(), before.vector());
        DocState after = before.copy();
        after.apply(op);
        // the usual put leaves exactly its fields: both records then take them as encoded once (by
        // the field encoder when it got there first), the log record copying them from the document's
        boolean plainPut = m.kind() == OperationKind.PUT && after.uniformFields() == op.fields();
        byte[] fields = plainPut && encoded != null ? encoded.get(i) : null;
        byte[] record = DocumentRecords.encode(after, collection, id, fields, fieldsAt, engine.scratch);
        byte[] logRecord = LogRecords.checkWritable(plainPut
                ? LogRecords.encodePut(op, record, fieldsAt[0], fieldsAt[1], engine.scratch) : LogRecords.encode(op, engine.scratch),
                collection, id);
        steps.add(new Step(collection, id, before, after, record, logRecord, append));
        staged.put(id, after, append);
        return true;
    }

    /**
     * Stages a put of a document that has no state (never written, or only staged as absent): the
     * state it creates is built directly ({@link DocState#created}), and neither an {@link Operation}
     * nor a copy of an empty state is made; the records are those the general path writes for the
     * same put (an empty context, a vector of this node's one operation). This is every document of
     * an import.
     */
    private void stageCreation(int i, Mutation m, String collection, String id, FieldEncoder.Job encoded, List<Step> steps, long sequence,
                               int[] fieldsAt, boolean append, StagedStates staged) {
        OpId opId = new OpId(engine.nodeId, sequence);
        Hlc stamp = engine.clock.now();
        DocState after = DocState.created(m.fields(), stamp, opId);
        byte[] fields = encoded != null ? encoded.get(i) : null;
        byte[] record = DocumentRecords.encode(after, collection, id, fields, fieldsAt, engine.scratch);
        byte[] logRecord = LogRecords.checkWritable(LogRecords.encodePut(opId, stamp, collection, id, VersionVector.EMPTY, record,
                fieldsAt[0], fieldsAt[1], engine.scratch), collection, id);
        steps.add(new Step(collection, id, ABSENT, after, record, logRecord, append));
        staged.put(id, after, append);
    }

    /**
     * The state before a creation, for {@link StoreEngine#writeDocument}, which only asks whether it
     * exists and was live: shared, never changed.
     */
    private static final DocState ABSENT = DocState.empty();
}
