package org.blazedb.store.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.OpId;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.blazedb.codec.Limits;

/**
 * The document record: the value stored under a document id. Layout (see docs/format.md, "Store
 * records"), all in BlazeBinary primitives:
 *
 * <pre>
 * u8       record version (1)
 * u8       flags: 1 = tombstone, 2 = has floor, 4 = floor is a DELETE
 * hlc      version: the newest stamp applied
 * opid     lastOp: the operation that carried it
 * value    the live fields, a BlazeBinary map value without header (empty map for a tombstone)
 * varint   n stamps, then n hlc: the distinct stamps used below
 * varint   per live field, in key order: index of its stamp
 * varint   m removed fields, then m × (string name, varint stamp index)
 * varint   floor: index of its stamp (only when flag 2)
 * vector   the document's version vector
 * </pre>
 *
 * Readers that need only the document stop after the fields, so point reads decode no metadata.
 */
final class DocumentRecords {
    static final int RECORD_VERSION = 1;
    private static final int TOMBSTONE = 1;
    private static final int HAS_FLOOR = 2;
    private static final int FLOOR_IS_DELETE = 4;

    private DocumentRecords() {
    }

    /**
     * @param state a document state
     * @return its record
     * @throws BlazeException {@link ErrorCode#DOCUMENT_TOO_LARGE} past {@link Limits#MAX_DOCUMENT_BYTES}
     */
    static byte[] encode(DocState state, String collection, String id) {
        return encode(state, collection, id, null, new BlazeWriter(256));
    }

    /**
     * @param fieldsAt when not null, receives where the encoded fields are in the record: offset at
     *                 0, length at 1 (a log record of the put that wrote them can copy them)
     * @param scratch  a buffer to encode into (reset first), so that the record is copied out once
     *                 instead of growing a fresh buffer on the way
     * @see #encode(DocState, String, String)
     */
    static byte[] encode(DocState state, String collection, String id, int[] fieldsAt, BlazeWriter scratch) {
        return encode(state, collection, id, null, fieldsAt, scratch);
    }

    /**
     * @param encodedFields when not null, {@code state}'s live fields as {@code BlazeWriter.writeValue}
     *                      writes them (encoded beforehand, see {@link FieldEncoder}): copied, not encoded again
     * @see #encode(DocState, String, String, int[], BlazeWriter)
     */
    static byte[] encode(DocState state, String collection, String id, byte[] encodedFields, int[] fieldsAt, BlazeWriter scratch) {
        return encode(state, collection, id, encodedFields, fieldsAt, scratch, true);
    }

    /**
     * The record of a state merged from operations received by sync, which may be over
     * {@link Limits#MAX_DOCUMENT_BYTES}: concurrent writes each within the limit (patches setting
     * different large fields, say) merge into their union, and every replica must store the same
     * state or sync stops at it for good. Only writes made here are held to the limit; a later
     * local write to such a document must bring it back under it (unset fields, or put a smaller one).
     *
     * @see #encode(DocState, String, String, int[], BlazeWriter)
     */
    static byte[] encodeMerged(DocState state, String collection, String id, int[] fieldsAt, BlazeWriter scratch) {
        return encode(state, collection, id, null, fieldsAt, scratch, false);
    }

    private static byte[] encode(DocState state, String collection, String id, byte[] encodedFields, int[] fieldsAt,
                                 BlazeWriter scratch, boolean limited) {
        boolean live = state.live();
        BlazeWriter w = scratch;
        w.reset();
        w.writeByte(RECORD_VERSION);
        w.writeByte((live ? 0 : TOMBSTONE) | (state.floor != null ? HAS_FLOOR : 0) | (state.floorIsDelete ? FLOOR_IS_DELETE : 0));
        w.writeHlc(state.version);
        w.writeOpId(state.lastOp);
        int start = w.size();
        if (encodedFields != null && live) {
            w.writeRaw(encodedFields, 0, encodedFields.length);
        } else {
            w.writeValue(live ? state.fields() : MapValue.EMPTY);
        }
        int size = w.size() - start;
        if (fieldsAt != null) {
            fieldsAt[0] = start;
            fieldsAt[1] = size;
        }
        if (limited && size > Limits.MAX_DOCUMENT_BYTES) {
            throw new BlazeException(ErrorCode.DOCUMENT_TOO_LARGE, "Document '" + id + "' in '" + collection + "' encodes to "
                    + size + " bytes, over the limit of " + Limits.MAX_DOCUMENT_BYTES
                    + " (Limits.MAX_DOCUMENT_BYTES): split it into smaller documents");
        }
        MapValue uniform = state.uniformFields();
        if (uniform != null) {
            // every field written by the floor's PUT: one stamp, index 0 for each field and the floor
            // (the same bytes the general form below gives for such a state)
            w.writeVarLong(1);
            w.writeHlc(state.floor);
            for (int i = uniform.size(); i > 0; i--) { // size(): entries() would build a view of each new map
                w.writeVarLong(0);
            }
            w.writeVarLong(0);
            w.writeVarLong(0);
            state.writeVector(w);
            return w.toByteArray();
        }
        List<Hlc> stamps = new ArrayList<>();
        Map<Hlc, Integer> index = new HashMap<>();
        Map<String, DocState.Register> registers = state.registers();
        registers.values().forEach(r -> index.computeIfAbsent(r.stamp(), s -> {
            stamps.add(s);
            return stamps.size() - 1;
        }));
        if (state.floor != null) {
            index.computeIfAbsent(state.floor, s -> {
                stamps.add(s);
                return stamps.size() - 1;
            });
        }
        w.writeVarLong(stamps.size());
        stamps.forEach(w::writeHlc);
        int removed = 0;
        for (DocState.Register r : registers.values()) {
            if (r.value() != null) {
                w.writeVarLong(index.get(r.stamp()));
            } else {
                removed++;
            }
        }
        w.writeVarLong(removed);
        registers.forEach((name, r) -> {
            if (r.value() == null) {
                w.writeString(name);
                w.writeVarLong(index.get(r.stamp()));
            }
        });
        if (state.floor != null) {
            w.writeVarLong(index.get(state.floor));
        }
        state.writeVector(w);
        return w.toByteArray();
    }

    /** @param record a record @return the document it holds */
    static Document decodeDocument(String collection, String id, byte[] record) {
        try {
            return readDocument(collection, id, record);
        } catch (BlazeException e) {
            throw StoreErrors.readFromDisk(e, "The record of document '" + id + "' in '" + collection + "'");
        }
    }

    private static Document readDocument(String collection, String id, byte[] record) {
        BlazeReader r = new BlazeReader(record);
        int flags = header(r);
        Hlc version = r.readHlc();
        OpId lastOp = r.readOpId();
        MapValue fields = fields(r);
        return new Document(collection, id, fields, (flags & TOMBSTONE) != 0, version, lastOp);
    }

    /** @param record a record @return whether it is a tombstone */
    static boolean isTombstone(byte[] record) {
        return record.length > 1 && (record[1] & TOMBSTONE) != 0;
    }

    /** @param record a record @return the full state it holds */
    static DocState decodeState(byte[] record) {
        try {
            return readState(record);
        } catch (BlazeException e) {
            throw StoreErrors.readFromDisk(e, "A document record");
        }
    }

    private static DocState readState(byte[] record) {
        BlazeReader r = new BlazeReader(record);
        int flags = header(r);
        Hlc version = r.readHlc();
        OpId lastOp = r.readOpId();
        MapValue fields = fields(r);
        int metadata = r.position();
        DocState uniform = uniformState(new BlazeReader(record, metadata, record.length - metadata), flags, version, lastOp, fields);
        if (uniform != null) {
            return uniform;
        }
        int n = (int) bounded(r.readVarLong(), r.remaining(), "stamp");
        Hlc[] stamps = new Hlc[n];
        for (int i = 0; i < n; i++) {
            stamps[i] = r.readHlc();
        }
        TreeMap<String, DocState.Register> registers = new TreeMap<>(Value.KEY_ORDER);
        for (Map.Entry<String, Value> e : fields.entries().entrySet()) {
            registers.put(e.getKey(), new DocState.Register(e.getValue(), stamps[stampIndex(r, n)]));
        }
        long removed = bounded(r.readVarLong(), r.remaining(), "removed field");
        for (long i = 0; i < removed; i++) {
            String name = r.readString();
            registers.put(name, new DocState.Register(null, stamps[stampIndex(r, n)]));
        }
        Hlc floor = (flags & HAS_FLOOR) != 0 ? stamps[stampIndex(r, n)] : null;
        DocState state = new DocState(registers, floor, (flags & FLOOR_IS_DELETE) != 0, version, lastOp, r.readVersionVector());
        r.expectEnd();
        state.knownFields(fields);
        return state;
    }

    /**
     * Reads the register part of a record whose fields were all written by its floor's PUT without
     * building a register per field: one stamp, every field at index 0, nothing removed, the floor
     * at index 0.
     *
     * @return the uniform state, or null when the record is not of that shape
     */
    private static DocState uniformState(BlazeReader r, int flags, Hlc version, OpId lastOp, MapValue fields) {
        if ((flags & (HAS_FLOOR | FLOOR_IS_DELETE | TOMBSTONE)) != HAS_FLOOR) {
            return null;
        }
        if (r.readVarLong() != 1) {
            return null;
        }
        Hlc floor = r.readHlc();
        for (int i = fields.size(); i > 0; i--) {
            if (r.readVarLong() != 0) {
                return null;
            }
        }
        if (r.readVarLong() != 0 || r.readVarLong() != 0) {
            return null;
        }
        DocState state = DocState.uniform(fields, floor, version, lastOp, r.readVersionVector());
        r.expectEnd();
        return state;
    }

    private static MapValue fields(BlazeReader r) {
        if (r.readValue() instanceof MapValue m) {
            return m;
        }
        throw new BlazeException(ErrorCode.CORRUPT_DATA, "A document record holds a value that is not a map");
    }

    private static int header(BlazeReader r) {
        int version = r.readByte();
        if (version != RECORD_VERSION) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown document record version " + version);
        }
        return r.readByte();
    }

    /** @return the next varint, an index into the {@code n} stamps */
    private static int stampIndex(BlazeReader r, int n) {
        long i = r.readVarLong(); // unsigned on disk: 2^63 and up read as negative
        if (i < 0 || i >= n) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "A document record is corrupt: stamp index "
                    + Long.toUnsignedString(i) + " is not below its " + n + " stamps");
        }
        return (int) i;
    }

    /**
     * @return {@code n}, a count read from a record, checked before anything is allocated for it:
     *         each element takes at least one byte, so it cannot exceed the bytes that remain
     */
    private static long bounded(long n, int remaining, String what) {
        if (n < 0 || n > remaining) { // unsigned on disk: 2^63 and up read as negative
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "A document record is corrupt: its " + what + " count "
                    + Long.toUnsignedString(n) + " exceeds the " + remaining + " bytes left in it");
        }
        return n;
    }
}
