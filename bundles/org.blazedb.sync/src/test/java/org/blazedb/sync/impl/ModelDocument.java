package org.blazedb.sync.impl;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * One document of {@link ModelReplica}: the deterministic merge of its operations, computed by
 * replaying them in hybrid-clock order (a base of folded history, then the operations since). Clock
 * order respects causality (a writer's stamp is after everything it saw), so the state depends only
 * on the set of operations; resolvers never change it directly, their decisions arrive as
 * operations ({@link ModelReplica#apply}).
 */
final class ModelDocument {
    private final String collection;
    private final String id;
    private final TreeMap<Hlc, Operation> since = new TreeMap<>();
    private final Map<NodeId, Long> context = new HashMap<>();
    private State base = State.ABSENT;
    private State current = State.ABSENT;

    /** An immutable document state. */
    record State(boolean exists, MapValue fields, boolean deleted, Hlc stamp, TreeMap<String, Hlc> fieldStamps,
                 TreeMap<String, Hlc> removedStamps, OpId lastOp) {
        static final State ABSENT = new State(false, MapValue.EMPTY, false, null, new TreeMap<>(Value.KEY_ORDER),
                new TreeMap<>(Value.KEY_ORDER), null);

        /** @return what a resolver sees of this state */
        DocumentVersion version() {
            return deleted ? DocumentVersion.tombstone(stamp) : new DocumentVersion(fields, false, stamp, fieldStamps, removedStamps);
        }
    }

    ModelDocument(String collection, String id) {
        this.collection = collection;
        this.id = id;
    }

    String collection() {
        return collection;
    }

    String id() {
        return id;
    }

    /** @return per origin, the highest sequence of its operations on this document held here */
    VersionVector context() {
        return VersionVector.of(context);
    }

    State state() {
        return current;
    }

    /** @param op an incoming operation @return whether it did not see everything this replica applied here */
    boolean concurrentWith(Operation op) {
        return current.exists() && !op.context().dominates(context());
    }

    /** @param op an operation to merge, local or received */
    void add(Operation op) {
        context.merge(op.id().origin(), op.id().sequence(), Math::max);
        since.put(op.stamp(), op);
        if (since.lastKey().equals(op.stamp())) {
            current = plain(current, op);
            return;
        }
        State s = base;
        for (Operation o : since.values()) {
            s = plain(s, o);
        }
        current = s;
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

    /** The operation applied on top of {@code s}, every operation before it in clock order. */
    private static State plain(State s, Operation op) {
        TreeMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        TreeMap<String, Hlc> removed = new TreeMap<>(Value.KEY_ORDER);
        if (op.kind() == OperationKind.DELETE) {
            return new State(true, MapValue.EMPTY, true, op.stamp(), stamps, removed, op.id());
        }
        Map<String, Value> fields = new TreeMap<>(Value.KEY_ORDER);
        if (op.kind() == OperationKind.PATCH && s.exists() && !s.deleted()) {
            fields.putAll(s.fields().entries());
            stamps.putAll(s.fieldStamps());
            removed.putAll(s.removedStamps());
        }
        for (String f : op.unset()) {
            fields.remove(f);
            stamps.remove(f);
            removed.put(f, op.stamp());
        }
        op.fields().entries().forEach((f, v) -> {
            fields.put(f, v);
            stamps.put(f, op.stamp());
            removed.remove(f);
        });
        return new State(true, MapValue.of(fields), false, op.stamp(), stamps, removed, op.id());
    }
}
