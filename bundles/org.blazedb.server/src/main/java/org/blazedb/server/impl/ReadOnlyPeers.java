package org.blazedb.server.impl;

import java.util.HashSet;
import java.util.Set;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.net.PeerAccess;
import org.blazedb.net.Permission;
import org.blazedb.net.TokenSource;

/**
 * The server's read-only peers ({@link ServerConfig#read_only_peers()}), each configured as
 * {@code ID=TOKENFILE}: the peer authenticates as {@code ID} with a token of its own, the first
 * line of {@code TOKENFILE}, read when the server starts (like {@code token.file}).
 *
 * <p>A read-only peer must not know the shared token: peer ids are only claimed, so a peer holding
 * the shared token could present any other id and be let in read-write. With a token of its own
 * it gets in under its id only, and read-only; under any other id its token is wrong. An entry
 * without a file, a file that cannot be read, or a token equal to the shared one is therefore
 * refused when the server starts.
 */
final class ReadOnlyPeers {
    private ReadOnlyPeers() {
    }

    /**
     * @param access      the access granted so far (the shared token, or nobody)
     * @param sharedToken the shared token, or empty
     * @param entries     {@code ID=TOKENFILE} entries
     * @return {@code access} that also admits each read-only peer with its own token
     * @throws BlazeException {@link ErrorCode#INVALID_VALUE} for a malformed or duplicate entry or a
     *                        read-only token equal to the shared one; what {@link TokenSource#resolve}
     *                        throws for a token file that cannot be read
     */
    static PeerAccess addTo(PeerAccess access, String sharedToken, String[] entries) {
        Set<String> ids = new HashSet<>();
        PeerAccess result = access;
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String id = eq < 0 ? entry.strip() : entry.substring(0, eq).strip();
            String file = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (id.isEmpty() || file.isEmpty()) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "read.only.peers entry '" + entry + "' is not ID=TOKENFILE;"
                        + " a read-only peer needs a token of its own (with the shared token it could claim another id"
                        + " and get read-write access): write its token on the first line of a file and configure "
                        + (id.isEmpty() ? "ID" : id) + "=/path/to/that/file");
            }
            if (!ids.add(id)) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "read.only.peers names peer '" + id + "' twice; keep one entry");
            }
            String token = ownToken(id, file);
            if (token.equals(sharedToken)) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Read-only peer '" + id + "' has the shared token (in " + file
                        + "); give it a token of its own: with the shared token it could claim another id and get read-write access");
            }
            result = result.withPeer(id, token, Permission.READ_ONLY);
        }
        return result;
    }

    private static String ownToken(String id, String file) {
        try {
            String token = TokenSource.resolve("", file);
            if (token.isEmpty()) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Token file " + file + " is empty");
            }
            return token;
        } catch (BlazeException e) {
            throw new BlazeException(e.code(), "Read-only peer '" + id + "': " + e.getMessage(), e);
        }
    }
}
