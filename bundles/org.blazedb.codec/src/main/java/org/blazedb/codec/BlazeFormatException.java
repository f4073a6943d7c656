package org.blazedb.codec;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/** Encoded bytes are malformed or exceed a named limit. */
public class BlazeFormatException extends BlazeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong */
    public BlazeFormatException(String message) {
        super(ErrorCode.MALFORMED_DATA, message);
    }

    /** @param code MALFORMED_DATA or LIMIT_EXCEEDED @param message what is wrong */
    public BlazeFormatException(ErrorCode code, String message) {
        super(code, message);
    }
}
