package org.blazedb.codec;

import java.util.SortedSet;
import java.util.TreeSet;
import org.blazedb.api.Hlc;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * The operation layout of {@code docs/format.md}:
 *
 * <pre>
 * origin     16 bytes  node id, big-endian
 * sequence   varint    &gt;= 1
 * wall time  varint    milliseconds since the epoch (the stamp's node is the origin)
 * counter    varint    0..2^31-1
 * collection string    varint length + UTF-8, at most MAX_NAME_BYTES
 * documentId string    the same
 * kind       byte      0 PUT, 1 PATCH, 2 DELETE
 * fields     value     a map (empty for DELETE)
 * unset      varint count, strings in strictly ascending code point order (PATCH only, else 0)
 * context    version vector: varint count, (node id, varint sequence &gt;= 1) in ascending node order
 * </pre>
 */
final class OperationCodec {
    private static final OperationKind[] KINDS = {OperationKind.PUT, OperationKind.PATCH, OperationKind.DELETE};

    private OperationCodec() {
    }

    static void write(BlazeWriter w, Operation op) {
        w.writeOpId(op.id());
        w.writeVarLong(op.stamp().wallTime());
        w.writeVarLong(op.stamp().counter());
        w.writeString(op.collection(), Limits.MAX_NAME_BYTES);
        w.writeString(op.documentId(), Limits.MAX_NAME_BYTES);
        w.writeByte(op.kind().ordinal());
        w.writeValue(op.fields());
        SortedSet<String> unset = op.unset();
        if (unset.size() > Limits.MAX_ELEMENTS) {
            throw BlazeWriter.tooLarge("An unset list", unset.size(), "MAX_ELEMENTS", Limits.MAX_ELEMENTS);
        }
        w.writeVarLong(unset.size());
        for (String name : unset) {
            w.writeString(name);
        }
        w.writeVersionVector(op.context());
    }

    static Operation read(BlazeReader r) {
        int at = r.pos;
        OpId id = r.readOpId();
        Hlc stamp = new Hlc(r.readWallTime(), r.readCounter(), id.origin());
        String collection = r.readString(Limits.MAX_NAME_BYTES, "MAX_NAME_BYTES");
        String documentId = r.readString(Limits.MAX_NAME_BYTES, "MAX_NAME_BYTES");
        int kindAt = r.pos;
        int kindByte = r.readByte();
        if (kindByte >= KINDS.length) {
            throw r.malformed(kindAt, "unknown operation kind " + kindByte);
        }
        OperationKind kind = KINDS[kindByte];
        int fieldsAt = r.pos;
        Value fields = r.readValue();
        if (!(fields instanceof MapValue)) {
            throw r.malformed(fieldsAt, "operation fields are a " + fields.type() + ", not a map");
        }
        SortedSet<String> unset = readUnset(r);
        VersionVector context = r.readVersionVector();
        try {
            return new Operation(id, stamp, collection, documentId, kind, (MapValue) fields, unset, context);
        } catch (IllegalArgumentException e) {
            throw r.malformed(at, "inconsistent operation: " + e.getMessage());
        }
    }

    private static SortedSet<String> readUnset(BlazeReader r) {
        int at = r.pos;
        int n = r.checkCount(r.readVarLong(), at, Limits.MAX_ELEMENTS, "MAX_ELEMENTS", "unset field", 1);
        TreeSet<String> names = new TreeSet<>(Value.KEY_ORDER);
        String previous = null;
        for (int i = 0; i < n; i++) {
            int nameAt = r.pos;
            String name = r.readString();
            if (previous != null && Value.KEY_ORDER.compare(previous, name) >= 0) {
                throw r.malformed(nameAt, "unset field names not unique and in code point order");
            }
            names.add(name);
            previous = name;
        }
        return names;
    }
}
