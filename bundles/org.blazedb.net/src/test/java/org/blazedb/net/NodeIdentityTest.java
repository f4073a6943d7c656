package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesOwnerOnlyFilesAndLaterStartsReuseThem() throws Exception {
        NodeIdentity created = NodeIdentity.loadOrCreate(dir);
        Path key = dir.resolve(NodeIdentity.KEY_FILE);
        Path cert = dir.resolve(NodeIdentity.CERT_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of(NodeIdentity.KEY_FILE, NodeIdentity.CERT_FILE, NodeIdentity.LOCK_FILE),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()), "no temporary files left behind");
        }

        NodeIdentity reloaded = NodeIdentity.loadOrCreate(dir);
        assertEquals(created.fingerprint(), reloaded.fingerprint());
        assertEquals(created.certificate(), reloaded.certificate());
        assertArrayEquals(created.privateKey().getEncoded(), reloaded.privateKey().getEncoded());
    }

    /** The server and the TCP relay of one node both load {@code <data>/tls} as they start. */
    @Test
    void concurrentFirstStartsInOneFolderAgreeOnOneIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> problems = new ArrayList<>();
        try {
            for (int round = 0; round < 200 && problems.size() < 5; round++) {
                Path folder = dir.resolve("r" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Object>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    results.add(pool.submit(() -> {
                        start.await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                        return loadOrFailure(folder);
                    }));
                }
                Object a = results.get(0).get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                Object b = results.get(1).get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                Object onDisk = loadOrFailure(folder);
                if (!(a instanceof NodeIdentity) || !a.equals(b) || !a.equals(onDisk)) {
                    problems.add("round " + round + ": first=" + a + " second=" + b + " reloaded=" + onDisk);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static Object loadOrFailure(Path folder) {
        try {
            return NodeIdentity.loadOrCreate(folder);
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void certificateIsSelfSignedP256AndFingerprintIsSha256OfDer() throws Exception {
        NodeIdentity id = NodeIdentity.loadOrCreate(dir);
        id.certificate().verify(id.certificate().getPublicKey());
        assertEquals(id.certificate().getSubjectX500Principal(), id.certificate().getIssuerX500Principal());
        assertEquals(256, ((ECPublicKey) id.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals("SHA256withECDSA", id.certificate().getSigAlgName());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.certificate().getEncoded()));
        assertEquals(expected, id.fingerprint());
        assertEquals(64, id.fingerprint().length());
    }

    @Test
    void anotherNodeHasAnotherIdentity() {
        assertNotEquals(NodeIdentity.generate().fingerprint(), NodeIdentity.generate().fingerprint());
    }

    @Test
    void looseKeyPermissionsAreTightenedOnLoad() throws Exception {
        NodeIdentity.loadOrCreate(dir);
        Path key = dir.resolve(NodeIdentity.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        NodeIdentity.loadOrCreate(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void aMissingHalfOrAForeignKeyIsReportedNotReplaced() throws Exception {
        NodeIdentity.loadOrCreate(dir);
        Files.delete(dir.resolve(NodeIdentity.CERT_FILE));
        BlazeException missing = assertThrows(BlazeException.class, () -> NodeIdentity.loadOrCreate(dir));
        assertEquals(ErrorCode.CORRUPT_DATA, missing.code());
        assertTrue(Files.exists(dir.resolve(NodeIdentity.KEY_FILE)), "the key is never overwritten");

        Path other = dir.resolve("other");
        NodeIdentity.loadOrCreate(other);
        Files.copy(other.resolve(NodeIdentity.CERT_FILE), dir.resolve(NodeIdentity.CERT_FILE));
        BlazeException foreign = assertThrows(BlazeException.class, () -> NodeIdentity.loadOrCreate(dir));
        assertEquals(ErrorCode.CORRUPT_DATA, foreign.code());
        assertTrue(foreign.getMessage().contains("does not belong"), foreign.getMessage());
    }

    @Test
    void garbageFilesAreCorruptData() throws Exception {
        Files.writeString(dir.resolve(NodeIdentity.KEY_FILE), "not a key");
        Files.writeString(dir.resolve(NodeIdentity.CERT_FILE), "not a certificate");
        assertEquals(ErrorCode.CORRUPT_DATA, assertThrows(BlazeException.class, () -> NodeIdentity.loadOrCreate(dir)).code());
    }
}
