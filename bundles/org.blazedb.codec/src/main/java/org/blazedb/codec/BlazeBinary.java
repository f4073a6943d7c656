package org.blazedb.codec;

import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.Operation;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/** Entry points of the BlazeBinary encoding. */
public final class BlazeBinary {
    private BlazeBinary() {
    }

    /** @param v value @return its encoding */
    public static byte[] encodeValue(Value v) {
        return new BlazeWriter().writeValue(v).toByteArray();
    }

    /** @param b encoding @return value */
    public static Value decodeValue(byte[] b) {
        BlazeReader r = new BlazeReader(b);
        Value v = r.readValue();
        r.expectEnd();
        return v;
    }

    /** @param doc a document's fields @return their encoding */
    public static byte[] encodeDocument(MapValue doc) {
        BlazeWriter w = new BlazeWriter(128);
        w.writeMapBody(doc);
        return w.toByteArray();
    }

    /** @param b encoding @return fields */
    public static MapValue decodeDocument(byte[] b) {
        if (b.length > Limits.MAX_DOCUMENT_BYTES) {
            throw new BlazeFormatException(org.blazedb.api.ErrorCode.LIMIT_EXCEEDED, "Document over " + Limits.MAX_DOCUMENT_BYTES + " bytes");
        }
        BlazeReader r = new BlazeReader(b);
        MapValue m = r.readMapBody(1);
        r.expectEnd();
        return m;
    }

    /** @param op operation @return encoding */
    public static byte[] encodeOperation(Operation op) {
        return new BlazeWriter(128).writeOperation(op).toByteArray();
    }

    /** @param b encoding @return operation */
    public static Operation decodeOperation(byte[] b) {
        BlazeReader r = new BlazeReader(b);
        Operation op = r.readOperation();
        r.expectEnd();
        return op;
    }

    /** @param ops operations @return encoding */
    public static byte[] encodeBatch(List<Operation> ops) {
        BlazeWriter w = new BlazeWriter(256);
        w.writeVarLong(ops.size());
        for (Operation op : ops) {
            w.writeOperation(op);
        }
        return w.toByteArray();
    }

    /** @param b encoding @return operations */
    public static List<Operation> decodeBatch(byte[] b) {
        BlazeReader r = new BlazeReader(b);
        long n = r.readVarLong();
        if (n > r.remaining()) {
            throw new BlazeFormatException("Batch count " + n + " too large");
        }
        List<Operation> ops = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            ops.add(r.readOperation());
        }
        r.expectEnd();
        return ops;
    }
}
