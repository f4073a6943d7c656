package org.blazedb.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;

/**
 * The server fingerprints a client trusts. A fingerprint is either configured for a server, or
 * trusted on first use: the first fingerprint seen for a server address is saved to a file
 * ({@code <address> <fingerprint>} per line, like SSH's {@code known_hosts}) and enforced from then
 * on. A first-use fingerprint is learned only once it is saved; if it cannot be saved the
 * connection is refused. A server whose certificate changed is refused with
 * {@link ErrorCode#CERTIFICATE_MISMATCH} naming both fingerprints. Thread-safe.
 */
public final class FingerprintPins {
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, String> configured;
    private final Path tofuFile;
    private final Map<String, String> learned = new TreeMap<>();

    private FingerprintPins(Map<String, String> configured, Path tofuFile) {
        this.configured = Map.copyOf(configured);
        this.tofuFile = tofuFile;
    }

    /**
     * @param pins server address ({@code host:port}) → fingerprint (64 hex digits)
     * @return pins that accept only these servers, each with exactly its fingerprint
     */
    public static FingerprintPins configured(Map<String, String> pins) {
        Map<String, String> checked = new TreeMap<>();
        pins.forEach((address, fp) -> checked.put(address, normalize(fp, "configured pin for " + address)));
        return new FingerprintPins(checked, null);
    }

    /**
     * @param file the trust-on-first-use file (created on the first save, owner-only)
     * @param pins configured pins, which take precedence over the file
     * @return pins that learn unknown servers into {@code file}
     * @throws BlazeException {@link ErrorCode#CORRUPT_DATA} if the file exists but is malformed
     */
    public static FingerprintPins trustOnFirstUse(Path file, Map<String, String> pins) {
        FingerprintPins result = configured(pins);
        FingerprintPins tofu = new FingerprintPins(result.configured, file);
        tofu.loadFile();
        return tofu;
    }

    /**
     * Checks a server's fingerprint, learning it if it is unknown and this instance trusts on first
     * use.
     *
     * @param address     the server address as the client dialled it ({@code host:port})
     * @param fingerprint the fingerprint the server presented
     * @throws BlazeException {@link ErrorCode#CERTIFICATE_MISMATCH} if another fingerprint is pinned
     *                        for the address, or none is and this instance does not learn;
     *                        {@link ErrorCode#IO_FAILURE} if a first-use fingerprint cannot be saved
     *                        (it is then not learned either)
     */
    public synchronized void check(String address, String fingerprint) {
        String seen = normalize(fingerprint, "server fingerprint");
        Optional<String> pinned = pinned(address);
        if (pinned.isPresent()) {
            if (!pinned.get().equals(seen)) {
                throw new BlazeException(ErrorCode.CERTIFICATE_MISMATCH, "The server at " + address
                        + " presented certificate " + seen + " but " + pinned.get() + " is pinned for it"
                        + (configured.containsKey(address) ? " in the configuration" : " in " + tofuFile)
                        + ". If the server was deliberately given a new identity, update the pin; otherwise do not connect");
            }
            return;
        }
        if (tofuFile == null) {
            throw new BlazeException(ErrorCode.CERTIFICATE_MISMATCH, "No fingerprint is pinned for " + address
                    + " (it presented " + seen + "); configure that pin if it is the right server");
        }
        // Saved first, learned only once saved: a pin kept in memory alone would be enforced now
        // and silently forgotten at the next start, when any certificate would be trusted again.
        Map<String, String> withNew = new TreeMap<>(learned);
        withNew.put(address, seen);
        save(withNew, address, seen);
        learned.put(address, seen);
    }

    /** @param address a server address @return the fingerprint pinned for it, if any */
    public synchronized Optional<String> pinned(String address) {
        String fp = configured.get(address);
        return Optional.ofNullable(fp != null ? fp : learned.get(address));
    }

    /** @return every pin, configured and learned (a configured one wins), by address */
    public synchronized Map<String, String> all() {
        Map<String, String> all = new TreeMap<>(learned);
        all.putAll(configured);
        return all;
    }

    /** @param address a server address @return whether a pin is configured for it */
    public boolean isConfigured(String address) {
        return configured.containsKey(address);
    }

    private void loadFile() {
        if (!Files.exists(tofuFile)) {
            return;
        }
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(tofuFile, StandardCharsets.UTF_8)) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                if (parts.length != 2 || !FINGERPRINT.matcher(parts[1]).matches()) {
                    throw new BlazeException(ErrorCode.CORRUPT_DATA, tofuFile + " line " + lineNo
                            + " is not '<host:port> <64 hex digits>'; fix or delete that line");
                }
                learned.put(parts[0], parts[1]);
            }
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot read " + tofuFile + ": " + e.getMessage(), e);
        }
    }

    private void save(Map<String, String> pins, String address, String fingerprint) {
        StringBuilder out = new StringBuilder("# BlazeDB servers trusted on first use: <host:port> <SHA-256 fingerprint>\n");
        pins.forEach((a, fp) -> out.append(a).append(' ').append(fp).append('\n'));
        Path tmp = null;
        try {
            Path dir = tofuFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, tofuFile.getFileName().toString(), ".tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, tofuFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot save the fingerprint " + fingerprint + " of " + address
                    + " to " + tofuFile + " (" + e + "); the connection is refused, since a pin not saved would be"
                    + " forgotten at the next start. Make that file writable, or configure the pin", e);
        }
    }

    private static void deleteQuietly(Path tmp, IOException failure) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e); // reported with the failure to save
        }
    }

    private static String normalize(String fingerprint, String what) {
        String fp = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        if (!FINGERPRINT.matcher(fp).matches()) {
            throw new IllegalArgumentException(what + " is not a SHA-256 fingerprint (64 hex digits): " + fingerprint);
        }
        return fp;
    }
}
