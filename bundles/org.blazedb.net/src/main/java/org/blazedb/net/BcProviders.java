package org.blazedb.net;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider BlazeDB's certificate code uses, created once and never registered
 * globally: installing it with {@code Security.addProvider} would change the crypto of every other
 * bundle in the JVM.
 */
final class BcProviders {
    /** Bouncy Castle's JCA provider, used to sign and read certificates. */
    static final BouncyCastleProvider JCA = new BouncyCastleProvider();

    private BcProviders() {
    }
}
