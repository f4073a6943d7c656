package org.blazedb.store.impl;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.blazedb.api.Document;
import org.blazedb.api.Hlc;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.DocumentVersion;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * The stored state of one document, built so that applying operations in any order gives the same
 * result as applying them in clock order ("last writer wins by hybrid clock", deletes included):
 *
 * <ul>
 *   <li>a <em>floor</em>: the stamp of the newest {@code PUT} or {@code DELETE}, and which it was;
 *       every field written before it is gone;</li>
 *   <li>one <em>register</em> per field written after the floor: its value, or "removed", and the
 *       stamp that wrote it; a write wins a register only with a newer stamp;</li>
 *   <li>the newest stamp and operation id seen, and the document's version vector: for each origin
 *       the highest sequence of its operations on this document applied here.</li>
 * </ul>
 *
 * The document is live when the floor is a {@code PUT} or some register holds a value. Every rule is
 * a maximum over stamps, so the state is commutative, associative and idempotent in the operations.
 * Instances are mutable and confined to one thread.
 */
final class DocState {
    /** A field register: a value (null when the field was removed) and the stamp that wrote it. */
    record Register(Value value, Hlc stamp) {
    }

    /** Change only through the methods here: they keep {@link #liveFields} in step. */
    final TreeMap<String, Register> registers;
    /**
     * The live fields as a map value, once built (or known, as after a decode or a plain put);
     * null when it must be rebuilt from the registers. Saves building the same map for the
     * record, the returned document and the index entries of one write.
     */
    private MapValue liveFields;
    Hlc floor;
    boolean floorIsDelete;
    Hlc version;
    OpId lastOp;
    VersionVector vector;

    DocState(TreeMap<String, Register> registers, Hlc floor, boolean floorIsDelete, Hlc version, OpId lastOp,
             VersionVector vector) {
        this.registers = registers;
        this.floor = floor;
        this.floorIsDelete = floorIsDelete;
        this.version = version;
        this.lastOp = lastOp;
        this.vector = vector;
    }

    /** @return an empty state, for a document never written */
    static DocState empty() {
        return new DocState(new TreeMap<>(Value.KEY_ORDER), null, false, null, null, VersionVector.EMPTY);
    }

    /** @return a deep copy */
    DocState copy() {
        DocState c = new DocState(new TreeMap<>(registers), floor, floorIsDelete, version, lastOp, vector);
        c.liveFields = liveFields; // immutable
        return c;
    }

    /** @param fields the live fields the registers hold, as decoded with them */
    void knownFields(MapValue fields) {
        liveFields = fields;
    }

    boolean exists() {
        return version != null;
    }

    boolean live() {
        if (floor != null && !floorIsDelete) {
            return true;
        }
        for (Register r : registers.values()) {
            if (r.value != null) {
                return true;
            }
        }
        return false;
    }

    /** @return the live fields, empty for a tombstone */
    MapValue fields() {
        if (liveFields != null) {
            return liveFields;
        }
        MapValue.Builder b = MapValue.builder();
        for (Map.Entry<String, Register> e : registers.entrySet()) {
            if (e.getValue().value != null) {
                b.put(e.getKey(), e.getValue().value);
            }
        }
        liveFields = b.build();
        return liveFields;
    }

    /**
     * Merges one operation. Idempotent, and commutative with every other operation.
     *
     * @param op the operation
     */
    void apply(Operation op) {
        Hlc s = op.stamp();
        boolean afterFloor = floor == null || s.isAfter(floor);
        switch (op.kind()) {
            case PUT, DELETE -> {
                if (afterFloor) {
                    floor = s;
                    floorIsDelete = op.kind() == OperationKind.DELETE;
                    registers.values().removeIf(r -> r.stamp.compareTo(s) < 0);
                    boolean onlyThisPut = registers.isEmpty();
                    op.fields().entries().forEach((name, value) -> write(name, value, s));
                    // the usual case: nothing newer survives, so the live fields are the put's
                    liveFields = onlyThisPut ? (floorIsDelete ? MapValue.EMPTY : op.fields()) : null;
                }
            }
            case PATCH -> {
                if (afterFloor) {
                    op.fields().entries().forEach((name, value) -> write(name, value, s));
                    op.unset().forEach(name -> write(name, null, s));
                }
            }
        }
        if (version == null || s.isAfter(version)) {
            version = s;
            lastOp = op.id();
        }
        if (vector.get(op.id().origin()) < op.id().sequence()) {
            vector = vector.with(op.id().origin(), op.id().sequence());
        }
    }

    private void write(String name, Value value, Hlc stamp) {
        Register current = registers.get(name);
        if (current == null || stamp.isAfter(current.stamp)) {
            registers.put(name, new Register(value, stamp));
            liveFields = null;
        }
    }

    /**
     * Replaces the fields with a conflict resolver's decision, keeping the floor, clock and vector.
     * Used only for the decision a batch builds up; what is stored is always the deterministic
     * merge, plus the operation that records a different decision ({@link RemoteApply}).
     *
     * @param decided the version a resolver chose
     */
    void adopt(DocumentVersion decided) {
        Hlc floorStamp = floor;
        registers.clear();
        liveFields = null;
        if (decided.deleted()) {
            if (floorStamp == null || decided.stamp().isAfter(floorStamp)) {
                floor = decided.stamp();
            }
            floorIsDelete = true;
            return;
        }
        for (Map.Entry<String, Value> e : decided.fields().entries().entrySet()) {
            registers.put(e.getKey(), new Register(e.getValue(), afterFloor(decided.fieldStamps().getOrDefault(e.getKey(), decided.stamp()))));
        }
        decided.removedStamps().forEach((name, stamp) -> registers.put(name, new Register(null, afterFloor(stamp))));
        if (floorIsDelete && live()) {
            floorIsDelete = registers.values().stream().noneMatch(r -> r.stamp.equals(floor));
        }
    }

    /** A kept field must outlive the floor, or it would not count as written after it. */
    private Hlc afterFloor(Hlc stamp) {
        return floor != null && !stamp.isAfter(floor) ? floor : stamp;
    }

    /** @param collection collection @param id document id @return the API view of this state */
    Document toDocument(String collection, String id) {
        boolean live = live();
        return new Document(collection, id, live ? fields() : MapValue.EMPTY, !live, version, lastOp);
    }

    /** @return the view a conflict resolver sees: fields, deletion, each field's stamp, removals */
    DocumentVersion toVersion() {
        boolean live = live();
        if (!live) {
            return DocumentVersion.tombstone(version);
        }
        TreeMap<String, Hlc> stamps = new TreeMap<>(Value.KEY_ORDER);
        TreeMap<String, Hlc> removed = new TreeMap<>(Value.KEY_ORDER);
        MapValue.Builder fields = MapValue.builder();
        for (Map.Entry<String, Register> e : registers.entrySet()) {
            if (e.getValue().value != null) {
                fields.put(e.getKey(), e.getValue().value);
                stamps.put(e.getKey(), e.getValue().stamp);
            } else {
                removed.put(e.getKey(), e.getValue().stamp);
            }
        }
        return new DocumentVersion(fields.build(), false, version, stamps, removed);
    }

    /** @param o another state @return whether both show the same document (liveness and fields) */
    boolean sameContent(DocState o) {
        boolean live = live();
        return live == o.live() && (!live || fields().equals(o.fields()));
    }

    /** @return whether both states hold the same fields, registers, floor and clock */
    boolean sameAs(DocState o) {
        return registers.equals(o.registers) && Objects.equals(floor, o.floor) && floorIsDelete == o.floorIsDelete
                && Objects.equals(version, o.version) && Objects.equals(lastOp, o.lastOp) && vector.equals(o.vector);
    }
}
