package org.blazedb.api;

/**
 * The numbered errors BlazeDB reports, across the API, the shell and the wire protocol. Numbers
 * never change meaning once released: 1xx are caller mistakes, 2xx storage conditions, 3xx
 * malformed encoded data, 4xx sync and network conditions.
 */
public enum ErrorCode {
    /** A document id is empty, too long or not valid UTF-8 text. */
    INVALID_ID(101),
    /** A collection name is empty, too long or uses characters outside {@code [A-Za-z0-9_.-]}. */
    INVALID_COLLECTION(102),
    /** An encoded document is larger than the store accepts. */
    DOCUMENT_TOO_LARGE(103),
    /** The collection or document does not exist. */
    NOT_FOUND(104),
    /** A query is not valid: unknown operator, mismatched range, negative limit. */
    INVALID_QUERY(105),
    /** A value cannot be represented: for example a JSON number beyond int64 and float64. */
    INVALID_VALUE(106),
    /** Another process has the data folder open. */
    DATA_FOLDER_LOCKED(201),
    /** The data folder was written by a newer BlazeDB whose format this version cannot read. */
    FORMAT_TOO_NEW(202),
    /** The disk is full; the write was not applied. */
    DISK_FULL(203),
    /** The store has been closed. */
    STORE_CLOSED(204),
    /** Stored data failed its integrity checks. */
    CORRUPT_DATA(205),
    /** Reading or writing the data folder failed. */
    IO_FAILURE(206),
    /**
     * The data folder was written by an earlier BlazeDB in a format this version no longer reads;
     * nothing in it was changed.
     */
    FORMAT_TOO_OLD(207),
    /** Encoded bytes are malformed: truncated, wrong tag, bad length, trailing bytes. */
    MALFORMED_DATA(301),
    /** Encoded bytes exceed a named limit: size, nesting depth, element count. */
    LIMIT_EXCEEDED(302),
    /** A peer broke the sync protocol. */
    PROTOCOL_ERROR(401),
    /** A peer failed to authenticate. */
    AUTH_FAILED(402),
    /** The server's certificate does not match the pinned fingerprint. */
    CERTIFICATE_MISMATCH(403),
    /** A peer could not be reached. */
    PEER_UNREACHABLE(404),
    /** A peer did not answer in time. */
    TIMEOUT(405),
    /** The peers share no protocol version. */
    UNSUPPORTED_VERSION(406),
    /** The peer may not do this (for example a read-only peer that sent operations). */
    PERMISSION_DENIED(407),
    /** No relay is bound for the address scheme. */
    NO_RELAY(408),
    /** The node is overloaded or shutting down; try again later. */
    UNAVAILABLE(409);

    private final int number;

    ErrorCode(int number) {
        this.number = number;
    }

    /** @return the stable number of this error */
    public int number() {
        return number;
    }

    /**
     * @param number an error number
     * @return the code with that number
     * @throws IllegalArgumentException if no code has it
     */
    public static ErrorCode ofNumber(int number) {
        for (ErrorCode code : values()) {
            if (code.number == number) {
                return code;
            }
        }
        throw new IllegalArgumentException("Unknown error number " + number);
    }
}
