package org.blazedb.net;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Who a client says it is and the token it proves: the peer id goes over the wire, the token never
 * does.
 *
 * @param peerId the id the server looks up (1 to 128 UTF-8 bytes), typically the node id
 * @param token  the shared token, or {@code null} if none is configured (the server then refuses
 *               the client with {@link org.blazedb.api.ErrorCode#AUTH_FAILED})
 */
public record ClientCredentials(String peerId, String token) {
    /** Checks the peer id's size. */
    public ClientCredentials {
        int bytes = Objects.requireNonNull(peerId, "peerId").getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > HandshakeMessages.MAX_PEER_ID_BYTES) {
            throw new IllegalArgumentException("A peer id must have 1 to " + HandshakeMessages.MAX_PEER_ID_BYTES + " UTF-8 bytes");
        }
    }

    /** @return the token's UTF-8 bytes, empty if there is none */
    byte[] tokenBytes() {
        return token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + peerId + ", token " + (token == null ? "none" : "set") + "]";
    }
}
