package org.blazedb.store.impl;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Operation;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;

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
        return new BlazeWriter(128).writeByte(RECORD_VERSION).writeOperation(op).toByteArray();
    }

    static Operation decode(long position, byte[] record) {
        BlazeReader r = new BlazeReader(record);
        int version = r.readByte();
        if (version != RECORD_VERSION) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Unknown log record version " + version + " at position " + position);
        }
        Operation op = r.readOperation();
        r.expectEnd();
        return op;
    }
}
