package org.blazedb.net;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A node's TLS identity: an EC P-256 key pair and a self-signed X.509 certificate, created with
 * Bouncy Castle on first start and kept in the node's data folder as {@value #KEY_FILE} (PKCS#8 PEM)
 * and {@value #CERT_FILE} (PEM), both owner-only ({@code rw-------}). Later starts reuse them, so the
 * node keeps its identity: the SHA-256 fingerprint of the certificate's DER encoding, in lower-case
 * hex, which peers pin.
 */
public final class NodeIdentity {
    /** The private key file in the data folder. */
    public static final String KEY_FILE = "node-key.pem";
    /** The certificate file in the data folder. */
    public static final String CERT_FILE = "node-cert.pem";
    /** The file in the data folder whose lock serialises creating the identity between processes. */
    public static final String LOCK_FILE = "node-identity.lock";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    // RFC 5280 §4.1.2.5: 99991231235959Z means "no well-defined expiration date". Peers pin the
    // fingerprint rather than trust a validity window, and an expiring pin would cut sync silently.
    private static final Date NO_EXPIRY = new Date(253402300799000L);
    // A file lock serialises processes only: within one JVM a second FileChannel.lock on the same
    // file throws OverlappingFileLockException rather than wait. The server and the TCP relay of one
    // node load the identity of one folder from two threads, so threads take this lock first.
    private static final Object CREATION_LOCK = new Object();

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String fingerprint;

    private NodeIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.fingerprint = fingerprint(certificate);
    }

    /**
     * Loads the identity kept in {@code folder}, or creates and saves a new one if there is none.
     * Safe to call from several threads and processes at once: they agree on one identity. The
     * check and the creation run under a lock (a JVM-wide one and a {@link FileLock} on
     * {@value #LOCK_FILE}), and existing files are never replaced.
     *
     * @param folder the node's data folder (created if missing)
     * @return the identity
     * @throws BlazeException {@link ErrorCode#IO_FAILURE} if the files cannot be read or written,
     *                        {@link ErrorCode#CORRUPT_DATA} if only one exists or they do not match
     */
    public static NodeIdentity loadOrCreate(Path folder) {
        try {
            Files.createDirectories(folder);
            // Loading takes the lock too: between another process's two writes only the key exists.
            synchronized (CREATION_LOCK) {
                try (FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                    return loadOrCreateLocked(folder);
                }
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot read or write the node identity in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static NodeIdentity loadOrCreateLocked(Path folder) throws IOException, CertificateEncodingException {
        Path keyFile = folder.resolve(KEY_FILE);
        Path certFile = folder.resolve(CERT_FILE);
        boolean hasKey = Files.exists(keyFile);
        boolean hasCert = Files.exists(certFile);
        if (hasKey != hasCert) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "Only one of " + keyFile + " and " + certFile
                    + " exists; restore the missing one from a backup, or delete both to give the node a new identity"
                    + " (peers that pinned the old one will then refuse it)");
        }
        if (hasKey) {
            return load(keyFile, certFile);
        }
        NodeIdentity created = generate();
        writeOwnerOnly(keyFile, pem(new JcaPKCS8Generator(created.privateKey, null).generate()));
        writeOwnerOnly(certFile, pem(new X509CertificateHolder(created.certificate.getEncoded())));
        return created;
    }

    /** @return a new identity held in memory only (tests, or nodes without a data folder) */
    public static NodeIdentity generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            X500Name name = new X500Name("CN=BlazeDB node " + HexFormat.of().formatHex(serial, 0, 8));
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofDays(1))), NO_EXPIRY, name, pair.getPublic());
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BcProviders.JCA).build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            return new NodeIdentity(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("The JVM cannot create an EC P-256 key and certificate", e);
        }
    }

    private static NodeIdentity load(Path keyFile, Path certFile) throws IOException {
        restrictToOwner(keyFile);
        Object key = readPem(keyFile);
        Object cert = readPem(certFile);
        if (!(key instanceof PrivateKeyInfo info) || !(cert instanceof X509CertificateHolder holder)) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, keyFile + " or " + certFile
                    + " does not hold a PKCS#8 private key and an X.509 certificate in PEM form");
        }
        try {
            // The JDK's own key and certificate classes, so the JDK's TLS stack can use them as they are.
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            certificate.verify(certificate.getPublicKey());
            if (!matches(privateKey, certificate)) {
                throw new BlazeException(ErrorCode.CORRUPT_DATA, keyFile + " does not belong to the certificate in " + certFile);
            }
            return new NodeIdentity(privateKey, certificate);
        } catch (GeneralSecurityException | IOException e) {
            throw new BlazeException(ErrorCode.CORRUPT_DATA, "The node identity in " + certFile + " is not valid: " + e.getMessage(), e);
        }
    }

    // A key belongs to a certificate if a signature made with it verifies with the certificate's key.
    private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        byte[] probe = "BlazeDB identity check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA", BcProviders.JCA);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA", BcProviders.JCA);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static Object readPem(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    // Written to a temporary file created owner-only and then moved into place, so the key is never
    // readable by others, not even for a moment, and a crash leaves either no file or a whole one.
    // The move (a rename within the folder) never replaces a file: an identity is never overwritten.
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        Path tmp = posix
                ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, file);
        } catch (FileAlreadyExistsException e) {
            throw new BlazeException(ErrorCode.DATA_FOLDER_LOCKED, file + " appeared while this node was creating its identity"
                    + " (another program ignoring " + LOCK_FILE + "?); nothing was replaced: check the folder, then start again", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // A key file copied around with a loose umask is tightened back to owner-only on load.
    private static void restrictToOwner(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null
                && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /**
     * @param certificate a certificate
     * @return the SHA-256 of its DER encoding in lower-case hex (64 characters)
     */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** @return the private key; never leaves this JVM */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the self-signed certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the node's identity as users see it: the certificate's SHA-256 fingerprint in hex */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + fingerprint + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeIdentity other && other.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint);
    }
}
