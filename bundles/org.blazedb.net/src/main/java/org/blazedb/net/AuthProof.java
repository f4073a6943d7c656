package org.blazedb.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge–response that proves both sides know the shared token without sending it:
 *
 * <pre>
 * server_cert = SHA-256(DER of the server's TLS certificate)      (the server's fingerprint)
 * transcript  = SHA-256(CLIENT_HELLO body ‖ SERVER_HELLO body)     (both fresh nonces, versions, capabilities)
 * client      = HMAC-SHA256(token, "BlazeDB client auth v1" ‖ 0x00 ‖ server_cert ‖ transcript ‖ u8 len ‖ peer id)
 * server      = HMAC-SHA256(token, "BlazeDB server auth v1" ‖ 0x00 ‖ server_cert ‖ transcript ‖ u8 len ‖ peer id ‖ u8 permission)
 * </pre>
 *
 * <p>A proof is bound to both parties' fresh nonces, so one captured on a connection is refused on
 * any other, and to the certificate the client saw, so a man in the middle with another certificate
 * cannot relay it to the real server (the idea of RFC 5929 {@code tls-server-end-point}).
 *
 * <p>It is <em>not</em> bound to the TLS session keys. The design called for a TLS exporter value
 * (RFC 8446 §7.5), but none is reachable here: JDK 17's JSSE has no exporter API (it arrived in
 * JDK 25), and Bouncy Castle's JSSE 1.84 clears the exporter secret when an {@code SSLEngine}'s
 * handshake completes (its {@code BCExtendedSSLSession.exportKeyingMaterialData} is a stub and
 * {@code BCSSLConnection.getChannelBinding("tls-exporter")} throws afterwards; see
 * {@code ExporterAvailabilityTest}). The weaker property is stated in {@code docs/protocol.md}.
 */
final class AuthProof {
    private static final byte[] CLIENT_LABEL = "BlazeDB client auth v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "BlazeDB server auth v1".getBytes(StandardCharsets.US_ASCII);

    private AuthProof() {
    }

    /** @return SHA-256 of both hello bodies */
    static byte[] transcript(byte[] clientHello, byte[] serverHello) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(clientHello);
            sha.update(serverHello);
            return sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** @param fingerprint the server certificate's fingerprint in hex @return its 32 bytes */
    static byte[] serverCert(String fingerprint) {
        return HexFormat.of().parseHex(fingerprint);
    }

    static byte[] client(byte[] token, byte[] serverCert, byte[] transcript, String peerId) {
        return hmac(token, CLIENT_LABEL, serverCert, transcript, peerId, -1);
    }

    static byte[] server(byte[] token, byte[] serverCert, byte[] transcript, String peerId, Permission permission) {
        return hmac(token, SERVER_LABEL, serverCert, transcript, peerId, permission.wire());
    }

    private static byte[] hmac(byte[] token, byte[] label, byte[] serverCert, byte[] transcript, String peerId, int permission) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            mac.update(label);
            mac.update((byte) 0);
            mac.update(serverCert);
            mac.update(transcript);
            byte[] id = peerId.getBytes(StandardCharsets.UTF_8);
            mac.update((byte) id.length);
            mac.update(id);
            if (permission >= 0) {
                mac.update((byte) permission);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
