package org.blazedb.codec;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Encoded bytes could not be decoded: they are malformed ({@link ErrorCode#MALFORMED_DATA}:
 * truncated, unknown tag, bad length, non-canonical form, trailing bytes, unsupported format
 * version) or exceed a {@link Limits limit} ({@link ErrorCode#LIMIT_EXCEEDED}). The message names
 * the problem and the byte offset, counted from the start of the decoded range.
 */
public class BlazeFormatException extends BlazeException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String problem;

    /**
     * @param code    {@link ErrorCode#MALFORMED_DATA} or {@link ErrorCode#LIMIT_EXCEEDED}
     * @param offset  the byte offset where the problem was found
     * @param problem what is wrong, without the offset
     */
    public BlazeFormatException(ErrorCode code, int offset, String problem) {
        super(code, problem + " at byte offset " + offset);
        this.offset = offset;
        this.problem = problem;
    }

    /**
     * @param code    {@link ErrorCode#MALFORMED_DATA} or {@link ErrorCode#LIMIT_EXCEEDED}
     * @param offset  the byte offset where the problem was found
     * @param problem what is wrong, without the offset
     * @param cause   the underlying failure
     */
    public BlazeFormatException(ErrorCode code, int offset, String problem, Throwable cause) {
        super(code, problem + " at byte offset " + offset, cause);
        this.offset = offset;
        this.problem = problem;
    }

    /** @return the byte offset of the problem, from the start of the decoded range */
    public int offset() {
        return offset;
    }

    /** @return what is wrong, without the offset */
    public String problem() {
        return problem;
    }
}
