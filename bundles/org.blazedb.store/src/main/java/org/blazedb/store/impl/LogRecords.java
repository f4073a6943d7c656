package org.blazedb.store.impl;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.blazedb.codec.Limits;

/**
 * The operation-log record, the value stored under a log position:
 * {@code u8 record version (1)} followed by the BlazeBinary operation. Records are written once and
 * never rewritten; the log position is the map key.
 */
final class LogRecords {
    static final int RECORD_VERSION = 1;

    private LogRecords() {
    }

    static byte[] encode(Operation op) {
        return encode(op, new BlazeWriter(128));
    }

    /** @param scratch a buffer to encode into (reset first) @return the record of {@code op} */
    static byte[] encode(Operation op, BlazeWriter scratch) {
        scratch.reset();
        return scratch.writeByte(RECORD_VERSION).writeOperation(op).toByteArray();
    }

    /**
     * The record of a {@code PUT} whose fields are already encoded (in its document's record):
     * the same bytes as {@link #encode}, without encoding the fields a second time.
     *
     * @param op     a put, its collection and id valid ({@link Names})
     * @param fields holds the fields of {@code op} as {@code BlazeWriter.writeValue} writes them
     * @param offset where they start
     * @param length how many bytes they take
     * @param scratch a buffer to encode into (reset first)
     */
    static byte[] encodePut(Operation op, byte[] fields, int offset, int length, BlazeWriter scratch) {
        if (op.kind() != OperationKind.PUT) {
            throw new IllegalArgumentException("Not a put: " + op.id());
        }
        return encodePut(op.id(), op.stamp(), op.collection(), op.documentId(), op.context(), fields, offset, length, scratch);
    }

    /**
     * The record of the {@code PUT} with these parts, its fields already encoded: the same bytes as
     * {@link #encode} of that operation, without building it.
     *
     * @param id      the put's id
     * @param stamp   its stamp, issued by {@code id.origin()}
     * @param context its context
     * @see #encodePut(Operation, byte[], int, int, BlazeWriter)
     */
    static byte[] encodePut(OpId id, Hlc stamp, String collection, String documentId,
                            VersionVector context, byte[] fields, int offset, int length, BlazeWriter scratch) {
        BlazeWriter w = scratch;
        w.reset();
        w.writeByte(RECORD_VERSION);
        // the operation layout of docs/format.md section 4, as OperationCodec writes it
        w.writeOpId(id);
        w.writeVarLong(stamp.wallTime());
        w.writeVarLong(stamp.counter());
        w.writeString(collection);
        w.writeString(documentId);
        w.writeByte(OperationKind.PUT.ordinal());
        w.writeRaw(fields, offset, length);
        w.writeVarLong(0); // a put removes no field
        w.writeVersionVector(context);
        return w.toByteArray();
    }

    /**
     * @return whether a record holds an operation over {@link Limits#MAX_DOCUMENT_BYTES}: one that
     *         sync cannot be sure to carry (an OPS frame, {@link org.blazedb.api.sync.Link#MAX_FRAME_BYTES},
     *         holds one of at most that size with room to spare)
     */
    static boolean overLimit(byte[] record) {
        return record.length - 1 > Limits.MAX_DOCUMENT_BYTES; // the record's version byte is not sent
    }

    /**
     * Keeps every operation written on this node within {@link Limits#MAX_DOCUMENT_BYTES}, so that
     * sync can send it. A document just under its own limit can make a larger operation (its id,
     * collection and version context come on top), which no peer could receive: every session
     * would end at it. Refused here, before anything is written, it is the writer's error instead.
     * (Operations received by sync are logged as they came: they arrived, so they fit.)
     *
     * @return {@code record}
     * @throws BlazeException {@link ErrorCode#DOCUMENT_TOO_LARGE} if the operation is larger
     */
    static byte[] checkWritable(byte[] record, String collection, String documentId) {
        if (overLimit(record)) {
            throw new BlazeException(ErrorCode.DOCUMENT_TOO_LARGE, "The operation on document '" + documentId + "' in '" + collection
                    + "' encodes to " + (record.length - 1) + " bytes, over the limit of " + Limits.MAX_DOCUMENT_BYTES
                    + " (Limits.MAX_DOCUMENT_BYTES) for the document with its id, collection and version context: make it smaller");
        }
        return record;
    }

    /**
     * The operation of a record without decoding it: its id is read, the rest is handed out as the
     * record holds it (the operation layout, after the version byte).
     *
     * @param position where the record is in the log, for errors
     * @param record   a record from {@link #encode}
     * @return its operation's id and bytes (the record's own array, not a copy)
     */
    static EncodedOperation encoded(long position, byte[] record) {
        if (record.length < 2 || record[0] != RECORD_VERSION) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown log record version "
                    + (record.length == 0 ? "(empty record)" : String.valueOf(record[0] & 0xFF)) + " at position " + position);
        }
        OpId id;
        try {
            id = new BlazeReader(record, 1, record.length - 1).readOpId();
        } catch (BlazeException e) {
            throw StoreErrors.readFromDisk(e, "The log record at position " + position);
        }
        return new EncodedOperation(id, record, 1, record.length - 1);
    }

    static Operation decode(long position, byte[] record) {
        if (record.length == 0 || record[0] != RECORD_VERSION) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown log record version "
                    + (record.length == 0 ? "(empty record)" : String.valueOf(record[0] & 0xFF)) + " at position " + position);
        }
        BlazeReader r = new BlazeReader(record, 1, record.length - 1);
        try {
            Operation op = r.readOperation();
            r.expectEnd();
            return op;
        } catch (BlazeException e) {
            throw StoreErrors.readFromDisk(e, "The log record at position " + position);
        }
    }
}
