package org.blazedb.server.impl;

import org.blazedb.net.NetLimits;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link BlazeServer} (PID {@code org.blazedb.server}). */
@ObjectClassDefinition(name = "BlazeDB server", description = "The TLS 1.3 listener that accepts and authenticates peers")
public @interface ServerConfig {
    /** @return the address to listen on */
    @AttributeDefinition(name = "Bind address", description = "Address to listen on; the loopback address keeps the node private to this machine")
    String bind_address() default "127.0.0.1";

    /** @return the TCP port */
    @AttributeDefinition(name = "Port", description = "TCP port to listen on (0 picks a free one)")
    int port() default 7420;

    /**
     * The shared token, configured as the private property {@code .token} (the leading underscore
     * maps to a full stop): DS never copies a private property into service properties. The public
     * name {@code token} is refused, since every bundle could read it from the service registry.
     *
     * @return the shared token
     */
    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD,
            description = "Token every peer proves it knows (it never crosses the wire); the private property .token,"
                    + " never published as a service property; empty (and no Token file) lets in read-only peers only")
    String _token() default "";

    /** @return a file holding the shared token */
    @AttributeDefinition(name = "Token file", description = "File whose first line is the token (instead of Token): keeps the secret out of "
            + "command lines and of the stored configuration; read when the server starts")
    String token_file() default "";

    /**
     * Read-only peers as {@code ID=TOKENFILE} entries: each authenticates as {@code ID} with a token
     * of its own, the first line of {@code TOKENFILE}, read when the server starts. It must differ
     * from the shared token, which would let the peer claim any other id and get read-write access;
     * an entry without a file, an unreadable file or the shared token refuses to start the server.
     *
     * @return the read-only peers, {@code ID=TOKENFILE} each
     */
    @AttributeDefinition(name = "Read-only peers", description = "Peers that receive operations but may not send any, as"
            + " ID=TOKENFILE: each has a token of its own (the file's first line, read at start), never the shared token,"
            + " which would let it claim another id and get read-write access")
    String[] read_only_peers() default {};

    /** @return the connection limit */
    @AttributeDefinition(name = "Maximum connections", description = "Connections held at once; more are closed at once")
    int max_connections() default NetLimits.MAX_CONNECTIONS;

    /** @return the frame limit */
    @AttributeDefinition(name = "Maximum frame bytes", description = "Largest frame payload accepted from an authenticated peer,"
            + " checked before allocating; during the handshake frames are limited to 2 KiB whatever this is")
    int max_frame_bytes() default NetLimits.MAX_FRAME_BYTES;

    /** @return the per-connection outbound bound */
    @AttributeDefinition(name = "Maximum pending bytes", description = "Outbound bytes queued per connection before it stops being writable")
    int max_pending_bytes() default NetLimits.MAX_PENDING_BYTES;

    /** @return the handshake timeout */
    @AttributeDefinition(name = "Handshake timeout (ms)", description = "Time allowed from accept to an authenticated link")
    long handshake_timeout_ms() default 10_000;

    /** @return the idle timeout */
    @AttributeDefinition(name = "Idle timeout (ms)", description = "A link that receives not a single byte for this long is closed;"
            + " a third of it without writing sends a keepalive")
    long idle_timeout_ms() default 60_000;

    /** @return the delay after failed authentications */
    @AttributeDefinition(name = "Authentication failure delay (ms)", description = "Wait before answering a failed authentication;"
            + " after one, the client's address gets its token checks this far apart")
    long auth_failure_delay_ms() default 1_000;

    /** @return event-loop threads */
    @AttributeDefinition(name = "Threads", description = "Event-loop threads serving connections")
    int threads() default 2;
}
