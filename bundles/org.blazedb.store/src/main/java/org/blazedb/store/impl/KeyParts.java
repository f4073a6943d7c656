package org.blazedb.store.impl;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.Value;
import org.blazedb.codec.BlazeBinary;
import org.h2.mvstore.DataUtils;

/**
 * Reads the length-prefixed parts of the store's map keys ({@link IdKeyType}, {@link IndexKeyType})
 * from a page MVStore loads from disk. MVStore's page check value covers only where a page is
 * (chunk, offset, length), not its bytes, so a damaged key reaches us as it is: every length is
 * checked against the bytes that remain before anything is allocated, and text must be
 * well-formed UTF-8 (a lenient decode would turn a damaged id into another id silently). A failure
 * is {@link ErrorCode#CORRUPT_DATA}; MVStore reports it as a corrupt page, which the store maps
 * to CORRUPT_DATA as well.
 */
final class KeyParts {
    private KeyParts() {
    }

    /**
     * @param buff the page, at a part: MVStore varint length, then that many bytes
     * @param what what the part is, for the message
     * @return its bytes
     */
    static byte[] read(ByteBuffer buff, String what) {
        try {
            int n = DataUtils.readVarInt(buff);
            if (n < 0 || n > buff.remaining()) { // a 5-byte varint of 2^31 and up reads as negative
                throw corrupt(what + " length " + Integer.toUnsignedString(n) + " exceeds the " + buff.remaining() + " bytes left in its page");
            }
            byte[] bytes = new byte[n];
            buff.get(bytes);
            return bytes;
        } catch (BufferUnderflowException e) {
            throw corrupt(what + " length is cut off by the end of its page");
        }
    }

    /**
     * @param bytes UTF-8 read from disk
     * @param what  what it is, for the message
     * @return the text
     */
    static String utf8(byte[] bytes, String what) {
        try {
            return BlazeBinary.decodeUtf8(bytes);
        } catch (BlazeException e) {
            throw corrupt(what + " is not well-formed UTF-8");
        }
    }

    /**
     * @param bytes a BlazeBinary value (with header) read from disk
     * @param what  what it is, for the message
     * @return the value
     */
    static Value value(byte[] bytes, String what) {
        try {
            return BlazeBinary.decodeValue(bytes);
        } catch (BlazeException e) { // the codec's MALFORMED_DATA: here it means a damaged file
            throw corrupt(what + " is not a valid BlazeBinary value (" + e.getMessage() + ")");
        }
    }

    private static BlazeException corrupt(String problem) {
        return new BlazeException(ErrorCode.CORRUPT_DATA, "A key in the store file is corrupt: its " + problem
                + "; " + StoreErrors.DAMAGED_ADVICE);
    }
}
