/**
 * What every BlazeDB network transport shares: the node's identity ({@link org.blazedb.net.NodeIdentity}),
 * TLS 1.3 contexts with fingerprint pinning ({@link org.blazedb.net.TlsContexts},
 * {@link org.blazedb.net.FingerprintPins}), named limits ({@link org.blazedb.net.NetLimits}), the
 * Netty pipeline ({@link org.blazedb.net.ServerInitializer}, {@link org.blazedb.net.ClientInitializer}:
 * TLS, bounded frame decoder, frame codec, {@link org.blazedb.net.HandshakeHandler}) and the
 * {@link org.blazedb.net.NettyLink} that carries sync frames once a peer has authenticated.
 *
 * <p>The wire format is specified in {@code docs/protocol.md} (sections "Transport: TLS",
 * "Framing" and "Handshake").
 */
@Export
@Version("1.2.0")
package org.blazedb.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
