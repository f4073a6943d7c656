package org.blazedb.relay.tcp.impl;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.blazedb.net.NettyTransport;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Pids;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.net.ClientCredentials;
import org.blazedb.net.ClientInitializer;
import org.blazedb.net.FingerprintPins;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NodeIdentity;
import org.blazedb.net.ServerPins;
import org.blazedb.net.TlsContexts;
import org.blazedb.net.TokenSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link Relay} for {@code tcp://host:port} addresses: a Netty client over TCP and TLS 1.3 that
 * checks the server's fingerprint against its pins (configured, or trusted on first use and kept in
 * {@code <data folder>/tls/known-servers}) and authenticates with the shared token
 * ({@code docs/protocol.md}). One call opens one link; when a link fails or closes, the sync
 * engine's peer connection reconnects through {@link #connect} again after its back-off, resuming
 * from the persisted sync state, so this relay does not retry on its own (two back-off loops would
 * multiply).
 *
 * <p>Every connect completes, also when the relay stops: one still being established then fails,
 * and a connect after the stop fails at once with {@link ErrorCode#UNAVAILABLE}. Netty alone would
 * leave both waiting for ever, since the notice of their failure is queued to the event loop that
 * has just gone.
 */
@Component(name = Pids.RELAY_TCP, configurationPid = Pids.RELAY_TCP, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {Relay.class, ServerPins.class}, property = Relay.SCHEME + "=" + TcpRelay.SCHEME_TCP)
@Designate(ocd = TcpRelayConfig.class)
public final class TcpRelay implements Relay, ServerPins {
    /** The scheme this relay serves. */
    public static final String SCHEME_TCP = "tcp";
    /** The port used when an address names none: BlazeServer's default. */
    public static final int DEFAULT_PORT = 7420;

    private final EventLoopGroup group;
    private final SslContext ssl;
    private final NetLimits limits;
    private final ClientCredentials credentials;
    private final FingerprintPins pins;
    private final int connectTimeoutMs;
    private final String description;
    private final String peerId;
    /** Guards {@link #stopped} and {@link #connecting}: no connect is handed to the group once it stops. */
    private final Object lock = new Object();
    private boolean stopped;
    /** Results of connects not yet completed, failed by {@link #deactivate()} if the group never completes them. */
    private final Set<CompletableFuture<?>> connecting = new HashSet<>();
    /** Every connection this relay opened until it closes: closed by {@link #deactivate()} while the event loop runs. */
    private final ChannelGroup connections = new DefaultChannelGroup("blaze-tcp-relay", GlobalEventExecutor.INSTANCE);

    /**
     * DS constructor: pins and identity live under the node's data folder. A token configured
     * under the public name {@code token} is refused: DS has published it as a service property.
     */
    @Activate
    public TcpRelay(TcpRelayConfig config, BundleContext context, Map<String, Object> properties) throws SSLException {
        this(refusingPublishedToken(config, properties), tlsFolder(context));
    }

    private static TcpRelayConfig refusingPublishedToken(TcpRelayConfig config, Map<String, Object> properties) {
        TokenSource.refusePublished(properties, Pids.RELAY_TCP);
        return config;
    }

    /**
     * Outside OSGi (benchmarks, embedding): a relay keeping learned pins (and, with no peer id
     * configured, a node identity for its default id) in {@code tlsFolder}.
     *
     * @param config    the configuration (an instance of the annotation)
     * @param tlsFolder the node's TLS folder
     * @throws SSLException if the TLS context cannot be built
     */
    public TcpRelay(TcpRelayConfig config, Path tlsFolder) throws SSLException {
        Map<String, String> configured = new HashMap<>();
        for (String entry : config.pins()) {
            int eq = entry.lastIndexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("Pin '" + entry + "' is not 'host:port=fingerprint'");
            }
            configured.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        Path known = tlsFolder.resolve("known-servers");
        this.pins = config.trust_on_first_use()
                ? FingerprintPins.trustOnFirstUse(known, configured)
                : FingerprintPins.configured(configured);
        this.peerId = config.peer_id().isEmpty()
                ? "node-" + NodeIdentity.loadOrCreate(tlsFolder).fingerprint().substring(0, 16)
                : config.peer_id();
        String token = TokenSource.resolve(config._token(), config.token_file());
        this.credentials = new ClientCredentials(peerId, token.isEmpty() ? null : token);
        this.limits = NetLimits.DEFAULTS.withHandshakeTimeout(Duration.ofMillis(config.handshake_timeout_ms()))
                .withIdleTimeout(Duration.ofMillis(config.idle_timeout_ms()));
        this.connectTimeoutMs = config.connect_timeout_ms();
        this.ssl = TlsContexts.client();
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), NettyTransport.ioHandlerFactory());
        this.description = "TcpRelay: TCP (" + NettyTransport.describe() + ") + TLS 1.3 client as peer '" + peerId + "', "
                + configured.size() + " pinned server(s)"
                + (config.trust_on_first_use() ? ", others trusted on first use (" + known + ")" : ", no others")
                + (token.isEmpty() ? "; no token configured: servers will refuse it" : "");
    }

    private static Path tlsFolder(BundleContext context) {
        String data = context.getProperty(Pids.DATA_FOLDER_PROPERTY);
        return (data != null ? Path.of(data) : context.getDataFile("").toPath()).resolve("tls");
    }

    /**
     * Closes every link this relay opened, and fails every connect still under way. The links are
     * closed before the event loop stops, while it runs: a TLS close waits (up to 3 s) for its
     * close_notify to be written, and a loop shut down meanwhile drops that wait, leaving the
     * connection open for ever with no loop to serve it (its handler never told, each send
     * failing with RejectedExecutionException).
     */
    @Deactivate
    public void deactivate() {
        synchronized (lock) {
            stopped = true;
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Only now, with the event loop gone: a handshake cannot succeed after its result failed
        // here, which would leave a link open that nobody holds.
        List<CompletableFuture<?>> left;
        synchronized (lock) {
            left = List.copyOf(connecting);
            connecting.clear();
        }
        left.forEach(r -> r.completeExceptionally(new BlazeException(ErrorCode.UNAVAILABLE,
                "The TCP relay stopped before the connection was established; connect again once it runs")));
    }

    @Override
    public String scheme() {
        return SCHEME_TCP;
    }

    @Override
    public CompletionStage<Link> connect(URI address, LinkHandler handler) {
        if (!SCHEME_TCP.equals(address.getScheme()) || address.getHost() == null) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.NO_RELAY,
                    "TcpRelay serves tcp://host:port addresses, not " + address));
        }
        URI target = address.getPort() < 0
                ? URI.create(SCHEME_TCP + "://" + address.getHost() + ":" + DEFAULT_PORT)
                : address;
        ClientInitializer init = new ClientInitializer(ssl, limits, credentials, pins, target, handler);
        CompletableFuture<?> result = init.result();
        synchronized (lock) {
            if (stopped) {
                return CompletableFuture.failedFuture(new BlazeException(ErrorCode.UNAVAILABLE,
                        "The TCP relay has stopped; connect again once it runs"));
            }
            connecting.add(result);
            // Handed to the group under the lock: the stop cannot come between the check and this.
            ChannelFuture connected = new Bootstrap().group(group).channel(NettyTransport.socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                    .handler(init)
                    .connect(target.getHost(), target.getPort());
            connections.add(connected.channel());
            connected.addListener(f -> {
                if (!f.isSuccess()) {
                    init.result().completeExceptionally(new BlazeException(ErrorCode.PEER_UNREACHABLE,
                            "Cannot reach " + target + ": " + f.cause().getMessage(), f.cause()));
                }
            });
        }
        result.whenComplete((link, failure) -> {
            synchronized (lock) {
                connecting.remove(result);
            }
        });
        return init.result().thenApply(link -> (Link) link);
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public Map<String, String> pins() {
        return pins.all();
    }

    @Override
    public boolean isConfigured(String address) {
        return pins.isConfigured(address);
    }

    @Override
    public String describe() {
        return description;
    }
}
