package org.blazedb.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * Where a node's shared token comes from: a configured value, or a file named in the
 * configuration. A file keeps the secret out of command lines (visible to every user in
 * {@code ps}) and out of the persisted configuration; it is read once, when the component starts.
 *
 * <p>A configured value lives in the private property {@value #TOKEN_PROPERTY}: Declarative
 * Services publishes every configuration property whose name does not start with a full stop as a
 * service property, readable by every bundle through the service registry. The public name
 * {@value #PUBLISHED_TOKEN_PROPERTY} is therefore refused ({@link #refusePublished}).
 */
public final class TokenSource {
    /** The largest token file read: a token is a line of text, not a document. */
    public static final int MAX_TOKEN_FILE_BYTES = 4096;
    /** The configuration property holding a token: private, so never a service property. */
    public static final String TOKEN_PROPERTY = ".token";
    /** The public property name a token must not be configured under: DS would publish it. */
    public static final String PUBLISHED_TOKEN_PROPERTY = "token";

    private static final System.Logger LOG = System.getLogger(TokenSource.class.getName());

    private TokenSource() {
    }

    /**
     * @param token     a configured token, or empty
     * @param tokenFile a path to a file holding the token (its first line, surrounding white space
     *                  removed), or empty
     * @return the token, or empty if neither is configured
     * @throws BlazeException {@link ErrorCode#INVALID_VALUE} if both are configured or the file is
     *                        empty or too large; {@link ErrorCode#IO_FAILURE} if it cannot be read
     */
    public static String resolve(String token, String tokenFile) {
        if (tokenFile == null || tokenFile.isBlank()) {
            return token == null ? "" : token;
        }
        if (token != null && !token.isEmpty()) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "Both a token and a token file (" + tokenFile
                    + ") are configured; configure only one");
        }
        Path file = Path.of(tokenFile.strip());
        try {
            if (Files.size(file) > MAX_TOKEN_FILE_BYTES) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Token file " + file + " is larger than "
                        + MAX_TOKEN_FILE_BYTES + " bytes; it must hold the token on one line");
            }
            warnIfReadableByOthers(file);
            String content = Files.readString(file, StandardCharsets.UTF_8);
            String first = content.lines().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Token file " + file + " is empty; write the token on its first line");
            }
            return first;
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot read the token file " + file + ": " + e, e);
        }
    }

    /**
     * Refuses a token configured under the public name {@value #PUBLISHED_TOKEN_PROPERTY}: DS has
     * already copied it into the component's service properties, where every bundle can read it.
     * The component then fails to activate (and DS unregisters its service) with a message saying
     * what to configure instead.
     *
     * @param properties the component's properties
     * @param pid        the configuration PID, for the message
     * @throws BlazeException {@link ErrorCode#INVALID_VALUE} if {@code properties} holds the public name
     */
    public static void refusePublished(Map<String, ?> properties, String pid) {
        if (properties.containsKey(PUBLISHED_TOKEN_PROPERTY)) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "The configuration " + pid + " holds the token in the public"
                    + " property '" + PUBLISHED_TOKEN_PROPERTY + "', which OSGi publishes as a service property to every"
                    + " bundle; delete it and configure '" + TOKEN_PROPERTY + "' (private) or 'token.file' instead");
        }
    }

    // A warning, not a refusal: a token shared by a deployment tool may well sit in a group-readable
    // file on purpose; the operator should know, though.
    private static void warnIfReadableByOthers(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            LOG.log(System.Logger.Level.WARNING, "Token file {0} is readable by other users; chmod 600 it", file);
        }
    }
}
