package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Names;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.Limits;

/**
 * Operations received from a peer, applied in one commit with the peer's new state. Operations
 * already held are skipped; one that would leave a gap in its origin's sequence rejects the batch.
 *
 * <p>What is stored is always the deterministic merge of the operations held ({@link DocState}:
 * the same whatever order they arrived in), so replicas holding the same operations are identical.
 * An operation whose context does not cover every operation this replica applied to the document
 * is concurrent with the local version: a conflict. The resolver sees the local version and, as
 * "incoming", the merge with the operation applied; a last-writer-wins resolver keeps it. When the
 * decision for a document (after every operation of the batch) shows something else than the
 * merge, the decision is written as one new local operation stamped after everything seen (a
 * patch from the merge to the decision, or a delete, or a put when the merge is a tombstone), in the
 * same commit. It replicates like any write, so the decision reaches every replica whatever
 * resolver they run.
 */
final class RemoteApply extends CommitTask<ApplyResult> {
    private static final System.Logger LOG = System.getLogger(RemoteApply.class.getName());

    private final StoreEngine engine;
    private final NodeId from;
    private final List<Operation> ops;
    private final ConflictResolver resolver;

    RemoteApply(StoreEngine engine, NodeId from, List<Operation> ops, ConflictResolver resolver) {
        this.engine = engine;
        this.from = from;
        this.ops = ops;
        this.resolver = resolver;
    }

    /** A document's collection and id, as a key. */
    private record DocKey(String collection, String id) { }

    /** One document touched by the batch: its state before, the merge, and the decision so far. */
    private static final class Touched {
        final String collection;
        final String id;
        final DocState before;
        DocState merged;
        DocState decided;
        List<ConflictEventDTO> conflicts;
        /** The operations of the batch applied to it, and the last of them. */
        int applied;
        Operation last;

        Touched(String collection, String id, DocState before) {
            this.collection = collection;
            this.id = id;
            this.before = before;
            this.merged = before;
            this.decided = before;
        }
    }

    @Override
    Staged<ApplyResult> stage() {
        VersionVector before = engine.appliedVersion;
        Map<DocKey, Touched> touched = new LinkedHashMap<>();
        // Per origin: the highest sequence held so far (with the batch's operations applied), and
        // the highest received. Batches hold long runs of one origin, so the current run's figures
        // are kept in locals and written to the maps when the origin changes.
        Map<NodeId, Long> heldAfter = new HashMap<>();
        Map<NodeId, Long> received = new HashMap<>();
        NodeId origin = null;
        long held = 0;
        long receivedMax = 0;
        List<Operation> logged = new ArrayList<>(ops.size());
        List<ConflictEventDTO> conflicts = new ArrayList<>();
        int duplicates = 0;
        String rawCollection = null;
        String checkedCollection = null;
        for (Operation op : ops) {
            if (!op.id().origin().equals(origin)) {
                if (origin != null) {
                    heldAfter.put(origin, held);
                    received.merge(origin, receivedMax, Math::max);
                }
                origin = op.id().origin();
                Long h = heldAfter.get(origin);
                held = h != null ? h : before.get(origin);
                receivedMax = 0;
            }
            long sequence = op.id().sequence();
            receivedMax = Math.max(receivedMax, sequence);
            if (sequence <= held) {
                duplicates++;
                continue;
            }
            if (sequence != held + 1) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Operation " + op.id() + " from peer " + from
                        + " leaves a gap: this replica holds " + origin + " only up to " + held
                        + "; send that origin's operations from " + (held + 1) + " in order. Nothing of the batch was applied");
            }
            held = sequence;
            // a batch's operations nearly always share one collection: check its name once
            if (!op.collection().equals(rawCollection)) {
                rawCollection = op.collection();
                checkedCollection = Names.collection(rawCollection);
            }
            String collection = checkedCollection;
            String id = Names.id(op.documentId());
            Touched doc = touched.computeIfAbsent(new DocKey(collection, id),
                    k -> new Touched(collection, id, engine.readState(collection, id)));
            boolean concurrent = doc.merged.exists() && !op.context().dominates(doc.merged.vector());
            DocState merged = doc.merged.copy();
            merged.apply(op);
            if (concurrent) {
                DocState decidedThenOp = doc.decided.copy();
                decidedThenOp.apply(op);
                doc.decided = resolve(op, doc, decidedThenOp, conflicts);
            } else if (doc.decided == doc.merged) {
                doc.decided = merged;
            } else {
                doc.decided = doc.decided.copy();
                doc.decided.apply(op);
            }
            doc.merged = merged;
            doc.applied++;
            doc.last = op;
            engine.clock.observe(op.stamp());
            logged.add(op);
        }
        if (origin != null) {
            heldAfter.put(origin, held);
            received.merge(origin, receivedMax, Math::max);
        }
        int applied = logged.size();
        long localSequence = heldAfter.getOrDefault(engine.nodeId, before.get(engine.nodeId));
        List<byte[]> records = new ArrayList<>(touched.size());
        Map<Operation, byte[]> prepared = new IdentityHashMap<>(touched.size());
        for (Touched doc : touched.values()) {
            if (doc.decided != doc.merged && !doc.decided.sameContent(doc.merged)) {
                Operation decision = decision(doc, new OpId(engine.nodeId, localSequence + 1));
                byte[] decisionRecord = LogRecords.encode(decision, engine.scratch);
                if (LogRecords.overLimit(decisionRecord)) {
                    // Written, it would be an operation sync cannot be sure to carry: every session
                    // could end at it. The merge stands instead, as on every replica that decides so.
                    String why = "the resolver's decision was not written: as an operation it would encode to "
                            + (decisionRecord.length - 1) + " bytes, over MAX_DOCUMENT_BYTES (" + Limits.MAX_DOCUMENT_BYTES
                            + "); the merged document is kept";
                    LOG.log(System.Logger.Level.WARNING, "Document '" + doc.id + "' in '" + doc.collection + "': " + why);
                    for (ConflictEventDTO e : doc.conflicts) {
                        e.explanation = e.explanation + "; " + why;
                    }
                } else {
                    localSequence++;
                    doc.merged = doc.merged.copy();
                    doc.merged.apply(decision);
                    logged.add(decision);
                    prepared.put(decision, decisionRecord);
                    for (ConflictEventDTO e : doc.conflicts) {
                        e.resolutionOperation = decision.id().toString();
                    }
                }
            }
            int[] fieldsAt = new int[2];
            byte[] record = DocumentRecords.encodeMerged(doc.merged, doc.collection, doc.id, fieldsAt, engine.scratch);
            records.add(record);
            if (doc.applied == 1 && doc.last.kind() == OperationKind.PUT && doc.merged.uniformFields() == doc.last.fields()) {
                // a put that left exactly its fields (a new document, usually): its log record
                // copies them from the document record instead of encoding them again
                prepared.put(doc.last, LogRecords.encodePut(doc.last, record, fieldsAt[0], fieldsAt[1], engine.scratch));
            }
        }
        List<byte[]> logRecords = new ArrayList<>(logged.size());
        for (Operation op : logged) {
            byte[] record = prepared.get(op);
            logRecords.add(record != null ? record : LogRecords.encode(op, engine.scratch));
        }
        int skipped = duplicates;
        return () -> {
            int i = 0;
            for (Touched doc : touched.values()) {
                engine.writeDocument(doc.collection, doc.id, doc.before, doc.merged, records.get(i++));
            }
            engine.appendLogs(logged, logRecords, applied); // the received operations come first
            // The peer holds every operation it sent, and (its vector being contiguous) all before them.
            engine.mergePeerVersion(from, VersionVector.of(received));
            return new ApplyResult(applied, skipped, conflicts, engine.appliedVersion);
        };
    }

    /** Asks the resolver about {@code op} against the decision so far; reports the resolution. */
    private DocState resolve(Operation op, Touched doc, DocState decidedThenOp, List<ConflictEventDTO> conflicts) {
        DocumentVersion local = doc.decided.toVersion();
        DocumentVersion incoming = decidedThenOp.toVersion();
        Resolution resolution = resolver.resolve(new Conflict(op.collection(), op.documentId(), local, incoming, op));
        DocumentVersion chosen = resolution.result();
        DocState after;
        if (chosen.equals(incoming)) {
            after = decidedThenOp;
        } else if (chosen.equals(local)) {
            after = doc.decided.copy();
            after.vector(decidedThenOp.vector()); // the operation is applied (superseded), only its effect is dropped
        } else {
            after = decidedThenOp.copy();
            after.adopt(chosen);
        }
        ConflictEventDTO event = new ConflictEventDTO();
        event.collection = op.collection();
        event.documentId = op.documentId();
        event.operation = op.id().toString();
        event.resolver = resolver.name();
        event.incomingKept = !chosen.sameContent(local) || local.sameContent(incoming);
        event.localKept = keeps(chosen, local);
        event.explanation = resolution.explanation();
        conflicts.add(event);
        if (doc.conflicts == null) {
            doc.conflicts = new ArrayList<>(2);
        }
        doc.conflicts.add(event);
        return after;
    }

    /**
     * The operation that turns the merge into the decision, stamped after every stamp seen here
     * (the clock observed them all), with the merge's vector as its context: a delete, a put when
     * the merge is a tombstone, otherwise a patch of exactly the fields that differ.
     */
    private Operation decision(Touched doc, OpId id) {
        DocState merged = doc.merged;
        DocState decided = doc.decided;
        if (!decided.live()) {
            return new Operation(id, engine.clock.now(), doc.collection, doc.id, OperationKind.DELETE, MapValue.EMPTY,
                    Operation.noUnset(), merged.vector());
        }
        MapValue want = decided.fields();
        if (!merged.live()) {
            return new Operation(id, engine.clock.now(), doc.collection, doc.id, OperationKind.PUT, want,
                    Operation.noUnset(), merged.vector());
        }
        Map<String, Value> have = merged.fields().entries();
        MapValue.Builder set = MapValue.builder();
        want.entries().forEach((name, value) -> {
            if (!value.equals(have.get(name))) {
                set.put(name, value);
            }
        });
        TreeSet<String> unset = new TreeSet<>(Value.KEY_ORDER);
        for (String name : have.keySet()) {
            if (!want.entries().containsKey(name)) {
                unset.add(name);
            }
        }
        return new Operation(id, engine.clock.now(), doc.collection, doc.id, OperationKind.PATCH, set.build(), unset,
                merged.vector());
    }

    /** @return whether {@code chosen} keeps all of {@code local}: its deletion, or each of its fields */
    private static boolean keeps(DocumentVersion chosen, DocumentVersion local) {
        if (local.deleted()) {
            return chosen.deleted();
        }
        return !chosen.deleted() && chosen.fields().entries().entrySet().containsAll(local.fields().entries().entrySet());
    }
}
