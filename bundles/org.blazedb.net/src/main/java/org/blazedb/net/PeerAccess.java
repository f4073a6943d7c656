package org.blazedb.net;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which peers a server lets in, with which token and permission: per peer id, and optionally a
 * default for any other id (one shared token for the whole deployment). Immutable.
 */
public final class PeerAccess {
    /** What one peer id is allowed. @param token the shared token's UTF-8 bytes @param permission what it may do */
    public record Grant(byte[] token, Permission permission) {
    }

    private final Map<String, Grant> peers;
    private final Grant fallback;

    private PeerAccess(Map<String, Grant> peers, Grant fallback) {
        this.peers = Map.copyOf(peers);
        this.fallback = fallback;
    }

    /** @param token the token every peer shares @return access for any peer id, read-write */
    public static PeerAccess sharedToken(String token) {
        return new PeerAccess(Map.of(), grant(token, Permission.READ_WRITE));
    }

    /** @return access that lets nobody in until peers are added */
    public static PeerAccess none() {
        return new PeerAccess(Map.of(), null);
    }

    /**
     * @param peerId     the id a client presents in CLIENT_AUTH
     * @param token      its token
     * @param permission what it may do
     * @return a copy that also admits this peer (replacing an earlier grant for the id)
     */
    public PeerAccess withPeer(String peerId, String token, Permission permission) {
        Map<String, Grant> copy = new HashMap<>(peers);
        copy.put(Objects.requireNonNull(peerId, "peerId"), grant(token, permission));
        return new PeerAccess(copy, fallback);
    }

    /** @param peerId a peer id @return its grant, or the default one, if any */
    public Optional<Grant> lookup(String peerId) {
        Grant g = peers.get(peerId);
        return Optional.ofNullable(g != null ? g : fallback);
    }

    private static Grant grant(String token, Permission permission) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("A peer token must not be empty");
        }
        return new Grant(token.getBytes(StandardCharsets.UTF_8), Objects.requireNonNull(permission, "permission"));
    }
}
