package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.sync.dto.ConflictEventDTO;

/**
 * Operations received from a peer, applied in one commit with the peer's new state. Operations
 * already held are skipped; one that would leave a gap in its origin's sequence rejects the batch.
 *
 * <p>An operation whose context does not cover every operation this replica applied to the
 * document is concurrent with the local version: a conflict. The resolver sees the local version
 * and, as "incoming", the version that merging the operation gives ({@link DocState}: the result of
 * applying every operation of the document in clock order, which is the same whatever order they
 * arrived in). A last-writer-wins resolver keeps {@code incoming}; its stamp is never older than
 * the local one.
 */
final class RemoteApply extends CommitTask<ApplyResult> {
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

    private record Step(Operation op, DocState before, DocState after, byte[] record) {
    }

    @Override
    Staged<ApplyResult> stage() {
        VersionVector running = engine.appliedVersion;
        Map<String, DocState> states = new HashMap<>();
        Map<NodeId, Long> received = new TreeMap<>();
        List<Step> steps = new ArrayList<>();
        List<ConflictEventDTO> conflicts = new ArrayList<>();
        int duplicates = 0;
        for (Operation op : ops) {
            NodeId origin = op.id().origin();
            long sequence = op.id().sequence();
            received.merge(origin, sequence, Math::max);
            long held = running.get(origin);
            if (sequence <= held) {
                duplicates++;
                continue;
            }
            if (sequence != held + 1) {
                throw new BlazeException(ErrorCode.PROTOCOL_ERROR, "Operation " + op.id() + " from peer " + from
                        + " leaves a gap: this replica holds " + origin + " only up to " + held
                        + "; send that origin's operations from " + (held + 1) + " in order. Nothing of the batch was applied");
            }
            running = running.with(origin, sequence);
            String collection = Names.collection(op.collection());
            String id = Names.id(op.documentId());
            String key = collection + '\u0000' + id;
            DocState before = states.get(key);
            if (before == null) {
                before = engine.readState(collection, id);
            }
            DocState after = before.copy();
            after.apply(op);
            if (before.exists() && !op.context().dominates(before.vector)) {
                after = resolve(op, before, after, conflicts);
            }
            engine.clock.observe(op.stamp());
            steps.add(new Step(op, before, after, DocumentRecords.encode(after, collection, id)));
            states.put(key, after);
        }
        int applied = steps.size();
        int skipped = duplicates;
        return () -> {
            for (Step s : steps) {
                engine.writeDocument(s.op.collection(), s.op.documentId(), s.before, s.after, s.record);
                engine.appendLog(s.op);
            }
            // The peer holds every operation it sent, and (its vector being contiguous) all before them.
            engine.mergePeerVersion(from, VersionVector.of(received));
            return new ApplyResult(applied, skipped, conflicts, engine.appliedVersion);
        };
    }

    private DocState resolve(Operation op, DocState before, DocState merged, List<ConflictEventDTO> conflicts) {
        DocumentVersion local = before.toVersion();
        DocumentVersion incoming = merged.toVersion();
        Resolution resolution = resolver.resolve(new Conflict(op.collection(), op.documentId(), local, incoming, op));
        DocumentVersion chosen = resolution.result();
        DocState after;
        if (chosen.equals(incoming)) {
            after = merged;
        } else if (chosen.equals(local)) {
            after = before.copy();
            after.vector = merged.vector; // the operation is applied (superseded), only its effect is dropped
        } else {
            after = merged.copy();
            after.adopt(chosen);
        }
        ConflictEventDTO event = new ConflictEventDTO();
        event.collection = op.collection();
        event.documentId = op.documentId();
        event.operation = op.id().toString();
        event.resolver = resolver.name();
        event.incomingKept = !chosen.equals(local) || local.equals(incoming);
        event.localKept = keeps(chosen, local);
        event.explanation = resolution.explanation();
        conflicts.add(event);
        return after;
    }

    /** @return whether {@code chosen} keeps all of {@code local}: its deletion, or each of its fields */
    private static boolean keeps(DocumentVersion chosen, DocumentVersion local) {
        if (local.deleted()) {
            return chosen.deleted();
        }
        return !chosen.deleted() && chosen.fields().entries().entrySet().containsAll(local.fields().entries().entrySet());
    }
}
