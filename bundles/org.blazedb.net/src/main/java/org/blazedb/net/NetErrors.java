package org.blazedb.net;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Maps what can go wrong on a connection to the numbered {@link ErrorCode}s the protocol reports,
 * each with a message that says what happened and what to do. The ERROR frame carries
 * {@link ErrorCode#number()}; {@link #fromWire} turns a received one back into an exception.
 */
public final class NetErrors {
    private NetErrors() {
    }

    /**
     * @param cause anything a pipeline raised
     * @return it as a {@link BlazeException} with the code the protocol reports for it
     */
    public static BlazeException classify(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof BlazeException blaze) {
            return blaze;
        }
        if (t instanceof TooLongFrameException) {
            return new BlazeException(ErrorCode.LIMIT_EXCEEDED, "The peer sent a frame longer than this node accepts: " + t.getMessage(), t);
        }
        if (t instanceof CorruptedFrameException) {
            return new BlazeException(ErrorCode.PROTOCOL_ERROR, "The peer sent a malformed frame: " + t.getMessage(), t);
        }
        if (t instanceof NotSslRecordException) {
            return new BlazeException(ErrorCode.PROTOCOL_ERROR,
                    "The peer did not speak TLS (plaintext or garbage on the TLS port); BlazeDB peers must use TLS 1.3", t);
        }
        if (t instanceof SslHandshakeTimeoutException) {
            return new BlazeException(ErrorCode.TIMEOUT, "The TLS handshake did not complete in time", t);
        }
        if (t instanceof SSLException) {
            if (isProtocolVersionFailure(t)) {
                return new BlazeException(ErrorCode.UNSUPPORTED_VERSION,
                        "TLS handshake failed: the peers share no TLS version; BlazeDB requires TLS 1.3 (" + t.getMessage() + ")", t);
            }
            return new BlazeException(ErrorCode.PROTOCOL_ERROR, "TLS failed: " + t.getMessage(), t);
        }
        if (t instanceof ClosedChannelException) {
            return new BlazeException(ErrorCode.PEER_UNREACHABLE, "The connection closed before the handshake finished", t);
        }
        if (t instanceof IOException) {
            return new BlazeException(ErrorCode.PEER_UNREACHABLE, "The connection failed: " + t.getMessage(), t);
        }
        return new BlazeException(ErrorCode.PROTOCOL_ERROR, "Unexpected failure on the connection: " + t, t);
    }

    /**
     * @param number the code number from an ERROR frame
     * @param reason the reason from it
     * @return the peer's error as an exception, prefixed so logs show who reported it
     */
    public static BlazeException fromWire(int number, String reason) {
        ErrorCode code;
        try {
            code = ErrorCode.ofNumber(number);
        } catch (IllegalArgumentException e) {
            // A newer peer may use codes this node does not know; the number is kept in the text.
            return new BlazeException(ErrorCode.PROTOCOL_ERROR, "The peer closed with unknown error E" + number + ": " + reason);
        }
        return new BlazeException(code, "The peer closed the connection: " + reason);
    }

    // TLS stacks report "no common version" as an alert named protocol_version (RFC 8446 §6.2)
    // or in a message about protocols; neither JSSE nor BCJSSE has a typed exception for it.
    private static boolean isProtocolVersionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("protocol_version") || m.contains("protocol version")
                    || m.contains("no appropriate protocol") || m.contains("client requested protocol")
                    || m.contains("unsupported protocol")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
