package org.blazedb.relay.tcp.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link TcpRelay} (PID {@code org.blazedb.relay.tcp}). */
@ObjectClassDefinition(name = "BlazeDB TCP relay", description = "Connects to BlazeDB servers over TCP and TLS 1.3")
public @interface TcpRelayConfig {
    /** @return the id this node authenticates as */
    @AttributeDefinition(name = "Peer id", description = "Id this node presents to servers; empty uses 'node-' and the first 16 hex digits of its TLS fingerprint")
    String peer_id() default "";

    /**
     * The shared token, configured as the private property {@code .token} (the leading underscore
     * maps to a full stop): DS never copies a private property into service properties. The public
     * name {@code token} is refused, since every bundle could read it from the service registry.
     *
     * @return the shared token
     */
    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, description = "Token this node proves it knows (it never crosses the "
            + "wire; private property .token, never published as a service property)")
    String _token() default "";

    /** @return a file holding the shared token */
    @AttributeDefinition(name = "Token file", description = "File whose first line is the token (instead of Token): keeps the secret out of "
            + "command lines and of the stored configuration; read when the relay starts")
    String token_file() default "";

    /** @return configured pins */
    @AttributeDefinition(name = "Pinned servers", description = "Entries 'host:port=fingerprint' (64 hex digits); a configured pin wins over one learned")
    String[] pins() default {};

    /** @return whether unknown servers are trusted on first use */
    @AttributeDefinition(name = "Trust on first use", description = "Save the fingerprint of a server seen for the first time and enforce it from then on")
    boolean trust_on_first_use() default true;

    /** @return the TCP connect timeout */
    @AttributeDefinition(name = "Connect timeout (ms)", description = "Time allowed for the TCP connection; the handshake has its own timeout")
    int connect_timeout_ms() default 10_000;

    /** @return the handshake timeout */
    @AttributeDefinition(name = "Handshake timeout (ms)", description = "Time allowed from connect to an authenticated link")
    long handshake_timeout_ms() default 10_000;

    /** @return the idle timeout */
    @AttributeDefinition(name = "Idle timeout (ms)", description = "A link that receives not a single byte for this long is closed;"
            + " a third of it without writing sends a keepalive")
    long idle_timeout_ms() default 60_000;

    /** @return event-loop threads */
    @AttributeDefinition(name = "Threads", description = "Event-loop threads serving this node's outbound links")
    int threads() default 1;
}
