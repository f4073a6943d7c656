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
import org.blazedb.codec.BlazeWriter;

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

    /**
     * The registers, or null while they are implied: by {@link #uniform} when it is set, else there
     * are none. Change only through the methods here: they keep {@link #liveFields} in step.
     */
    private TreeMap<String, Register> registers;
    /**
     * When not null, the registers are exactly these fields, each written by the floor's stamp (a
     * {@code PUT} with nothing written after it: the state of most documents). Kept as the map the
     * put carried, so that such a state costs no register map to build, copy or encode.
     */
    private MapValue uniform;
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
    /** The document's version vector; null while it is the one entry {@link #soleEntry}. */
    private VersionVector vector;
    /**
     * While {@link #vector} is null, the vector's only entry (origin and sequence): the vector of a
     * document written only by one origin, as every document this node creates is. Kept as the
     * operation id it already is, so that creating a document builds no map for its vector.
     */
    private OpId soleEntry;

    DocState(TreeMap<String, Register> registers, Hlc floor, boolean floorIsDelete, Hlc version, OpId lastOp,
             VersionVector vector) {
        this.registers = registers;
        this.floor = floor;
        this.floorIsDelete = floorIsDelete;
        this.version = version;
        this.lastOp = lastOp;
        this.vector = vector;
    }

    /**
     * @return a state whose floor is a {@code PUT} of {@code fields} at {@code floor}, with nothing
     *         written after it
     */
    static DocState uniform(MapValue fields, Hlc floor, Hlc version, OpId lastOp, VersionVector vector) {
        DocState s = new DocState(null, floor, false, version, lastOp, vector);
        s.uniform = fields;
        s.liveFields = fields;
        return s;
    }

    /**
     * @return the state a {@code PUT} of {@code fields} by operation {@code id} stamped {@code stamp}
     *         gives a document that had no state: the same as {@code empty().apply(put)}, without
     *         the operation, the copy or a map for the vector
     */
    static DocState created(MapValue fields, Hlc stamp, OpId id) {
        DocState s = new DocState(null, stamp, false, stamp, id, null);
        s.soleEntry = id;
        s.uniform = fields;
        s.liveFields = fields;
        return s;
    }

    /** @return the document's version vector */
    VersionVector vector() {
        if (vector == null) {
            vector = VersionVector.EMPTY.with(soleEntry.origin(), soleEntry.sequence());
            soleEntry = null;
        }
        return vector;
    }

    /** @param vector the document's version vector from now on */
    void vector(VersionVector vector) {
        this.vector = Objects.requireNonNull(vector, "vector");
        soleEntry = null;
    }

    /** Writes the version vector as {@code BlazeWriter.writeVersionVector} does, without building it. */
    void writeVector(BlazeWriter w) {
        if (vector == null) {
            w.writeVarLong(1).writeOpId(soleEntry); // count 1, then its node id and sequence
        } else {
            w.writeVersionVector(vector);
        }
    }

    /** @return an empty state, for a document never written */
    static DocState empty() {
        return new DocState(null, null, false, null, null, VersionVector.EMPTY);
    }

    /** @return a deep copy */
    DocState copy() {
        DocState c = new DocState(registers == null ? null : new TreeMap<>(registers), floor, floorIsDelete, version, lastOp, vector);
        c.soleEntry = soleEntry; // immutable
        c.uniform = uniform; // immutable
        c.liveFields = liveFields; // immutable
        return c;
    }

    /**
     * @return the fields, all written by the floor's {@code PUT}, when that is all the registers
     *         hold; null when the registers must be read one by one ({@link #registers()})
     */
    MapValue uniformFields() {
        if (uniform == null && registers == null && floor != null && !floorIsDelete) {
            return MapValue.EMPTY; // a put of no fields
        }
        return uniform;
    }

    /** @return the registers by field name; materialised from the uniform form when needed */
    TreeMap<String, Register> registers() {
        if (registers == null) {
            registers = new TreeMap<>(Value.KEY_ORDER);
            if (uniform != null) {
                for (Map.Entry<String, Value> e : uniform.entries().entrySet()) {
                    registers.put(e.getKey(), new Register(e.getValue(), floor));
                }
                uniform = null;
            }
        }
        return registers;
    }

    /** @return whether no field register is set (uniform or not) */
    private boolean noRegisters() {
        return registers == null ? uniform == null || uniform.size() == 0 : registers.isEmpty();
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
        if (registers == null) {
            return uniform != null && uniform.size() > 0; // (a uniform state has a PUT floor; size() builds no view)
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
        if (registers == null) {
            liveFields = uniform == null ? MapValue.EMPTY : uniform;
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
                    if (registers != null) {
                        registers.values().removeIf(r -> r.stamp.compareTo(s) < 0);
                    } else {
                        uniform = null; // every register it implied had the old floor's stamp, older than s
                    }
                    if (noRegisters()) {
                        // the usual case: nothing newer survives, so the registers are the put's fields
                        registers = null;
                        uniform = floorIsDelete ? null : op.fields();
                        liveFields = floorIsDelete ? MapValue.EMPTY : op.fields();
                    } else {
                        op.fields().entries().forEach((name, value) -> write(name, value, s));
                        liveFields = null;
                    }
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
        OpId id = op.id();
        if (vector == null && soleEntry.origin().equals(id.origin())) {
            if (soleEntry.sequence() < id.sequence()) {
                soleEntry = id; // still one entry: no map
            }
        } else if (vector().get(id.origin()) < id.sequence()) {
            vector = vector.with(id.origin(), id.sequence());
        }
    }

    private void write(String name, Value value, Hlc stamp) {
        TreeMap<String, Register> registers = registers();
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
        TreeMap<String, Register> registers = registers();
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
        for (Map.Entry<String, Register> e : registers().entrySet()) {
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
        return registers().equals(o.registers()) && Objects.equals(floor, o.floor) && floorIsDelete == o.floorIsDelete
                && Objects.equals(version, o.version) && Objects.equals(lastOp, o.lastOp) && vector().equals(o.vector());
    }
}
