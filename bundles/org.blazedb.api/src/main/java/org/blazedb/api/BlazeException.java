package org.blazedb.api;

import java.util.Objects;

/**
 * The one exception type of BlazeDB. Its message says what happened and what to do about it; its
 * {@link #code()} tells programs which of the documented conditions it is.
 */
public class BlazeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** @param code the condition @param message what happened and what to do */
    public BlazeException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @param code the condition @param message what happened and what to do @param cause the underlying failure */
    public BlazeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the condition this exception reports */
    public ErrorCode code() {
        return code;
    }

    /** @return {@code "E<number> <CODE>: <message>"}, one line for the shell and logs */
    @Override
    public String toString() {
        return "E" + code.number() + " " + code + ": " + getMessage();
    }
}
