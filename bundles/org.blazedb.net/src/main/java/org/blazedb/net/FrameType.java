package org.blazedb.net;

/**
 * The first byte of every frame body (see {@code docs/protocol.md}, "Framing"). Handshake frames
 * are only valid during the handshake, in the order listed; after it, only {@link #DATA} and
 * {@link #ERROR}.
 */
public final class FrameType {
    /** Client → server: magic, supported versions, capabilities, client nonce. */
    public static final byte CLIENT_HELLO = 0x01;
    /** Server → client: chosen version, common capabilities, server nonce. */
    public static final byte SERVER_HELLO = 0x02;
    /** Client → server: peer id and the client's proof of the token. */
    public static final byte CLIENT_AUTH = 0x03;
    /** Server → client: the peer's permission and the server's proof of the token. */
    public static final byte SERVER_AUTH = 0x04;
    /** Either way, after the handshake: one opaque sync-protocol frame. */
    public static final byte DATA = 0x10;
    /** Either way, at any time after TLS: an error code and reason; the sender then closes. */
    public static final byte ERROR = 0x11;
    /**
     * Either way, after the handshake, only when both sides set {@link Protocol#CAP_KEEPALIVE}: an
     * empty body sent when the sender has written nothing for a while; it proves the connection and
     * the peer's event loop alive and is otherwise ignored.
     */
    public static final byte KEEPALIVE = 0x12;

    private FrameType() {
    }

    /** @param type a type byte @return its name for messages, or its hex value if unknown */
    public static String name(byte type) {
        return switch (type) {
            case CLIENT_HELLO -> "CLIENT_HELLO";
            case SERVER_HELLO -> "SERVER_HELLO";
            case CLIENT_AUTH -> "CLIENT_AUTH";
            case SERVER_AUTH -> "SERVER_AUTH";
            case DATA -> "DATA";
            case ERROR -> "ERROR";
            case KEEPALIVE -> "KEEPALIVE";
            default -> String.format("0x%02x", type & 0xff);
        };
    }
}
