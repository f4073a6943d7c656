package org.blazedb.server.impl;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.blazedb.net.NettyTransport;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Pids;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.SyncService;
import org.blazedb.net.LinkAcceptor;
import org.blazedb.net.NetLimits;
import org.blazedb.net.NettyLink;
import org.blazedb.net.NodeIdentity;
import org.blazedb.net.PeerAccess;
import org.blazedb.net.ServerEndpoint;
import org.blazedb.net.ServerInitializer;
import org.blazedb.net.TokenSource;
import org.blazedb.net.TlsContexts;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The node's TLS listener: accepts many peers at once on {@link ServerConfig#bind_address()} (the
 * loopback address unless configured otherwise), authenticates them with the
 * {@code org.blazedb.net} handshake and hands each authenticated link to the local
 * {@link SyncService}. While no sync engine runs, authenticated peers are told
 * {@link ErrorCode#UNAVAILABLE} and disconnected. The node's TLS identity lives in
 * {@code <data folder>/tls}.
 */
@Component(name = Pids.SERVER, configurationPid = Pids.SERVER, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {BlazeServer.class, ServerEndpoint.class}, immediate = true)
@Designate(ocd = ServerConfig.class)
public final class BlazeServer implements LinkAcceptor, ServerEndpoint {
    private static final System.Logger LOG = System.getLogger(BlazeServer.class.getName());
    private static final LinkHandler IGNORE = new LinkHandler() {
        @Override
        public void onFrame(Link link, ByteBuffer frame) {
        }

        @Override
        public void onWritabilityChanged(Link link) {
        }

        @Override
        public void onClosed(Link link, Throwable cause) {
        }
    };

    private final NodeIdentity identity;
    private final EventLoopGroup group;
    private final Channel listener;
    private final ServerInitializer initializer;
    private final boolean acceptsPeers;
    /** Every accepted connection until it closes: closed by {@link #deactivate()} while the event loops still run. */
    private final ChannelGroup connections = new DefaultChannelGroup("blaze-server", GlobalEventExecutor.INSTANCE);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SyncService sync;

    /**
     * DS constructor: the identity lives under the node's data folder. A token configured under
     * the public name {@code token} is refused: DS has published it as a service property.
     */
    @Activate
    public BlazeServer(ServerConfig config, BundleContext context, Map<String, Object> properties) throws SSLException {
        this(refusingPublishedToken(config, properties), dataFolder(context).resolve("tls"));
    }

    private static ServerConfig refusingPublishedToken(ServerConfig config, Map<String, Object> properties) {
        TokenSource.refusePublished(properties, Pids.SERVER);
        return config;
    }

    /**
     * Outside OSGi (benchmarks, embedding): a listener with its identity in {@code identityFolder};
     * set the engine with {@link #serve(SyncService)}.
     *
     * @param config         the configuration (an instance of the annotation)
     * @param identityFolder where the node's key and certificate are kept
     * @throws SSLException if the TLS context cannot be built
     */
    public BlazeServer(ServerConfig config, Path identityFolder) throws SSLException {
        this.identity = NodeIdentity.loadOrCreate(identityFolder);
        String token = TokenSource.resolve(config._token(), config.token_file());
        PeerAccess access = access(token, config.read_only_peers());
        this.acceptsPeers = !token.isEmpty() || config.read_only_peers().length > 0;
        NetLimits limits = new NetLimits(config.max_frame_bytes(), Duration.ofMillis(config.handshake_timeout_ms()),
                Duration.ofMillis(config.idle_timeout_ms()), config.max_connections(), config.max_pending_bytes(),
                Duration.ofMillis(config.auth_failure_delay_ms()));
        this.initializer = new ServerInitializer(TlsContexts.server(identity), limits, access, this, "tcp");
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), NettyTransport.ioHandlerFactory());
        try {
            this.listener = new ServerBootstrap().group(group).channel(NettyTransport.serverSocketChannel())
                    .handler(new Tracker(connections))
                    .childHandler(initializer)
                    .bind(new InetSocketAddress(config.bind_address(), config.port())).sync().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot listen on " + config.bind_address() + ":" + config.port()
                    + " (" + e.getMessage() + "); configure another port in " + Pids.SERVER, e);
        }
        LOG.log(Level.INFO, "BlazeDB server listening on {0} ({1}), TLS identity {2}", listener.localAddress(),
                NettyTransport.describe(), identity.fingerprint());
        if (!acceptsPeers) {
            LOG.log(Level.WARNING, "No token and no read-only peer is configured in {0}: every peer will be refused", Pids.SERVER);
        }
    }

    /**
     * @param token         the shared token (any peer id, read-write), or empty for none
     * @param readOnlyPeers {@code ID=TOKENFILE} entries: read-only peers, each with its own token
     * @return who may connect
     */
    static PeerAccess access(String token, String[] readOnlyPeers) {
        PeerAccess shared = token.isEmpty() ? PeerAccess.none() : PeerAccess.sharedToken(token);
        return ReadOnlyPeers.addTo(shared, token, readOnlyPeers);
    }

    private static Path dataFolder(BundleContext context) {
        String data = context.getProperty(Pids.DATA_FOLDER_PROPERTY);
        return data != null ? Path.of(data) : context.getDataFile("").toPath();
    }

    /**
     * Closes the listener and every connection, then stops the event loops. The connections are
     * closed first, while the loops run: a TLS close waits (up to 3 s) for its close_notify to be
     * written, and a loop shut down meanwhile drops that wait, leaving the connection open for
     * ever with no loop to serve it. Its sync session then never heard of the close, and each of
     * its sends failed with RejectedExecutionException.
     */
    @Deactivate
    public void deactivate() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * On the listener's pipeline: adds each accepted connection to the group before it is
     * registered with its event loop, so that a connection accepted just before the listener
     * closed is closed with the others.
     */
    private static final class Tracker extends ChannelInboundHandlerAdapter {
        private final ChannelGroup connections;

        Tracker(ChannelGroup connections) {
            this.connections = connections;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object accepted) {
            connections.add((Channel) accepted);
            ctx.fireChannelRead(accepted);
        }
    }

    /** Outside OSGi: the sync engine authenticated links are handed to (DS sets it in a framework). */
    public void serve(SyncService engine) {
        this.sync = engine;
    }

    @Override
    public LinkHandler accept(NettyLink link) {
        SyncService engine = sync;
        if (engine == null) {
            link.close(ErrorCode.UNAVAILABLE, "No sync engine is running on this node; try again later");
            return IGNORE;
        }
        LOG.log(Level.INFO, "Peer {0} connected from {1} ({2})", link.peerId(), link.remoteAddress(), link.permission());
        return engine.accept(link);
    }

    @Override
    public void refused(SocketAddress remote, BlazeException reason) {
        LOG.log(Level.INFO, "Refused {0}: {1}", remote, reason);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public String fingerprint() {
        return identity.fingerprint();
    }

    @Override
    public boolean acceptsPeers() {
        return acceptsPeers;
    }

    @Override
    public int openConnections() {
        return initializer.openConnections();
    }
}
