package org.blazedb.sync.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.Conflict;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * One document of {@link ModelReplica}. Its state is a base (folded history) followed by the
 * operations since, replayed in hybrid-clock order; an operation whose context does not cover the
 * previous one is a conflict for the resolver. Clock order respects causality (a writer's stamp is
 * after everything it saw), so the state depends only on the set of operations and the resolver.
 */
final class ModelDocument {
    private final String collection;
    private final String id;
    private final TreeMap<Hlc, Operation> since = new TreeMap<>();
    private final Map<NodeId, Long> context = new HashMap<>();
    private State base = State.ABSENT;
    private State current = State.ABSENT;
    private ConflictResolver lastResolver;

    /** An immutable document state. */
    record State(boolean exists, MapValue fields, boolean deleted, Hlc stamp, TreeMap<String, Hlc> fieldStamps, OpId lastOp) {
        static final State ABSENT = new State(false, MapValue.EMPTY, false, null, new TreeMap<>(Value.KEY_ORDER), null);

        DocumentVersion version() {
            return new DocumentVersion(fields, deleted, stamp, fieldStamps);
        }
    }

    ModelDocument(String collection, String id) {
        this.collection = collection;
        this.id = id;
    }

    VersionVector context() {
        return VersionVector.of(context);
    }

    State state() {
        return current;
    }

    /** @return the resolution events this operation caused (empty for local writes) */
    List<ConflictEventDTO> add(Operation op, ConflictResolver resolver) {
        context.merge(op.id().origin(), op.id().sequence(), Math::max);
        since.put(op.stamp(), op);
        if (resolver != null) {
            lastResolver = resolver;
        }
        List<ConflictEventDTO> events = new ArrayList<>();
        if (since.lastKey().equals(op.stamp())) {
            current = step(current, op, resolver, events, true);
            return events;
        }
        State s = base;
        for (Operation o : since.values()) {
            // report the conflicts this operation takes part in, as the incoming or the local side
            s = step(s, o, resolver != null ? resolver : lastResolver, events, o == op || op.id().equals(s.lastOp()));
        }
        current = s;
        return events;
    }

    void compact() {
        base = current;
        since.clear();
    }

    String describe() {
        if (!current.exists()) {
            return "absent";
        }
        return current.deleted() ? "tombstone" : current.fields().toString();
    }

    private State step(State s, Operation op, ConflictResolver resolver, List<ConflictEventDTO> events, boolean report) {
        State plain = plain(s, op);
        if (!s.exists() || op.context().contains(s.lastOp()) || resolver == null) {
            return plain;
        }
        DocumentVersion incoming = plain.version();
        Resolution r = resolver.resolve(new Conflict(collection, id, s.version(), incoming, op));
        DocumentVersion kept = r.result();
        if (report) {
            ConflictEventDTO e = new ConflictEventDTO();
            e.collection = collection;
            e.documentId = id;
            e.operation = op.id().toString();
            e.resolver = resolver.name();
            e.incomingKept = !kept.equals(s.version());
            e.localKept = !kept.equals(incoming);
            e.explanation = r.explanation();
            events.add(e);
        }
        return new State(true, kept.fields(), kept.deleted(), kept.stamp(), new TreeMap<>(kept.fieldStamps()), op.id());
    }

    /** The operation applied on top of {@code s} as if there were no conflict. */
    private static State plain(State s, Operation op) {
        TreeMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        if (op.kind() == OperationKind.DELETE) {
            return new State(true, MapValue.EMPTY, true, op.stamp(), stamps, op.id());
        }
        if (op.kind() == OperationKind.PUT || !s.exists() || s.deleted()) {
            for (String f : op.fields().entries().keySet()) {
                stamps.put(f, op.stamp());
            }
            return new State(true, op.fields(), false, op.stamp(), stamps, op.id());
        }
        Map<String, Value> fields = new TreeMap<>(Value.KEY_ORDER);
        fields.putAll(s.fields().entries());
        stamps.putAll(s.fieldStamps());
        for (String f : op.unset()) {
            fields.remove(f);
            stamps.remove(f);
        }
        op.fields().entries().forEach((f, v) -> {
            fields.put(f, v);
            stamps.put(f, op.stamp());
        });
        return new State(true, MapValue.of(fields), false, op.stamp(), stamps, op.id());
    }
}
