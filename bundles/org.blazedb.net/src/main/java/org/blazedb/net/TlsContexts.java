package org.blazedb.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS settings of every BlazeDB connection: TLS 1.3 only, ECDHE key exchange (the only kind TLS
 * 1.3 has), AES-256-GCM preferred, with the JDK's own JSSE provider. Servers present their {@link NodeIdentity}; clients accept
 * any well-formed certificate at the TLS layer and check its fingerprint against their
 * {@link FingerprintPins} in the {@link ClientHandshakeHandler} the moment TLS completes, before
 * they send a single byte of the BlazeDB protocol: that way a mismatch is reported as
 * {@link org.blazedb.api.ErrorCode#CERTIFICATE_MISMATCH} with both fingerprints, not as an opaque
 * TLS alert.
 */
public final class TlsContexts {
    /** The only protocol version offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";
    /** The cipher suites in order of preference; the server's order wins. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");

    private TlsContexts() {
    }

    /**
     * @param identity the node's key and certificate
     * @return a server context; create handlers with {@link #newServerHandler}
     * @throws SSLException if the provider refuses the settings
     */
    public static SslContext server(NodeIdentity identity) throws SSLException {
        return SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.NONE)
                .build();
    }

    /**
     * @return a client context; the server's certificate is checked by fingerprint after TLS
     * @throws SSLException if the provider refuses the settings
     */
    public static SslContext client() throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .trustManager(new PinnedLaterTrustManager())
                .build();
    }

    /**
     * @param context a context from {@link #server}
     * @param alloc   the channel's allocator
     * @return a TLS handler whose engine picks the cipher suite by the server's preference
     */
    public static SslHandler newServerHandler(SslContext context, ByteBufAllocator alloc) {
        SslHandler handler = context.newHandler(alloc);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(params);
        return handler;
    }

    /**
     * Accepts any server certificate chain at the TLS layer (the fingerprint pin is checked right
     * after, see the class comment) and refuses every client certificate (none are requested).
     */
    private static final class PinnedLaterTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("The server presented no certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("BlazeDB clients do not present certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
