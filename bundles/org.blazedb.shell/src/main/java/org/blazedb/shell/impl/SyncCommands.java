package org.blazedb.shell.impl;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.Descriptor;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.Store;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The sync commands of the Gogo shell, scope {@code blaze}: {@code status}, {@code peers},
 * {@code connect}, {@code disconnect}, {@code sync}, {@code relays}, {@code resolvers},
 * {@code resolver}. With one sync engine running the store argument may be left out.
 */
@Component(service = SyncCommands.class, property = {
    "osgi.command.scope=blaze",
    "osgi.command.function=status", "osgi.command.function=peers", "osgi.command.function=connect",
    "osgi.command.function=disconnect", "osgi.command.function=sync", "osgi.command.function=relays",
    "osgi.command.function=resolvers", "osgi.command.function=resolver"})
public class SyncCommands {
    /** How long {@code connect} and {@code sync} wait for a round before returning. */
    static final long WAIT_SECONDS = 30;
    /** {@link #WAIT_SECONDS} in milliseconds; tests shorten it. */
    long connectWaitMillis = TimeUnit.SECONDS.toMillis(WAIT_SECONDS);
    /** How long a command waits for a sync engine that is still starting. */
    static final long START_WAIT_MILLIS = 5_000;

    private final Map<String, SyncService> engines = new ConcurrentSkipListMap<>();
    /** {@link #START_WAIT_MILLIS}; tests set it to 0. */
    long startWaitMillis = START_WAIT_MILLIS;
    private final Map<String, Relay> relays = new ConcurrentSkipListMap<>();
    private final Map<String, Object[]> resolvers = new ConcurrentSkipListMap<>();
    /** {@link #RESOLVER_WAIT_MILLIS}; tests may shorten it. */
    long resolverWaitMillis = RESOLVER_WAIT_MILLIS;
    /** How long {@code resolver NAME} waits for the engine to take up its new configuration. */
    static final long RESOLVER_WAIT_MILLIS = 10_000;
    /** The argument of {@code resolver} that lets the highest-ranked resolver decide. */
    static final String AUTO = "--auto";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSyncService(SyncService engine, Map<String, Object> props) {
        engines.put(String.valueOf(props.get(Store.NAME)), engine);
    }

    void unbindSyncService(SyncService engine, Map<String, Object> props) {
        engines.remove(String.valueOf(props.get(Store.NAME)), engine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRelay(Relay relay, Map<String, Object> props) {
        relays.put(relay.scheme() + "#" + props.get("service.id"), relay);
    }

    void unbindRelay(Relay relay, Map<String, Object> props) {
        relays.remove(relay.scheme() + "#" + props.get("service.id"));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResolver(ConflictResolver resolver, Map<String, Object> props) {
        resolvers.put(resolver.name() + "#" + props.get("service.id"),
                new Object[] {resolver, props.get("service.ranking"), props.get("service.id")});
    }

    void unbindResolver(ConflictResolver resolver, Map<String, Object> props) {
        resolvers.remove(resolver.name() + "#" + props.get("service.id"));
    }

    @Descriptor("shows the sync status of the only sync engine: node, relays, resolver, peers")
    public String status() {
        return status(only());
    }

    @Descriptor("shows the sync status of a store's engine: node, relays, resolver, peers")
    public String status(@Descriptor("store name") String store) {
        SyncStatusDTO s = engine(store).status();
        return "store " + s.storeName + "  node " + s.nodeId + "\nrelays " + s.relays + "  resolver "
                + (s.resolver == null ? "(none running)" : s.resolver) + "  conflicts resolved " + s.conflictsResolved
                + "\n" + table(s.peers);
    }

    @Descriptor("lists the peers of the only sync engine with pending counts")
    public String peers() {
        return peers(only());
    }

    @Descriptor("lists the peers of a store's engine with pending counts")
    public String peers(@Descriptor("store name") String store) {
        return table(engine(store).peers());
    }

    @Descriptor("connects the only sync engine to a peer and keeps syncing (waits for the first round)")
    public String connect(@Descriptor("address, such as memory:db2 or tcp://host:7420") String address) throws InterruptedException {
        return connect(address, only());
    }

    @Descriptor("connects a store's engine to a peer and keeps syncing (waits for the first round)")
    public String connect(@Descriptor("address") String address, @Descriptor("store name") String store)
            throws InterruptedException {
        URI uri = address(address);
        SyncService engine = engine(store);
        try {
            PeerStatusDTO p = engine.connect(uri).toCompletableFuture().get(connectWaitMillis, TimeUnit.MILLISECONDS);
            return "connected to " + p.nodeId + " over " + p.relay + "; in sync (sent " + p.operationsSent
                    + ", received " + p.operationsReceived + ")";
        } catch (TimeoutException e) {
            // An unknown store, a refused token or certificate, another protocol version: the engine
            // retries each for ever, and holds why the last attempt failed.
            String lastError = lastError(engine, uri);
            return "still connecting to " + address + " after " + waited() + (lastError == null ? "" : "; the last attempt failed: "
                    + lastError) + "; it keeps retrying (see 'peers'; 'disconnect " + address + "' stops it)";
        } catch (ExecutionException e) {
            throw asBlaze(e.getCause());
        }
    }

    @Descriptor("stops syncing the only engine with an address given to connect")
    public String disconnect(@Descriptor("address") String address) {
        return disconnect(address, only());
    }

    @Descriptor("stops syncing a store's engine with an address given to connect")
    public String disconnect(@Descriptor("address") String address, @Descriptor("store name") String store) {
        return engine(store).disconnect(address(address)) ? "disconnected from " + address : "not connected to " + address;
    }

    /** @return the address as a URI @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it is not one */
    private static URI address(String address) {
        try {
            return new URI(address);
        } catch (URISyntaxException e) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "Cannot read the address '" + address + "': " + e.getMessage()
                    + "; write for example memory:db2 or tcp://host:7420");
        }
    }

    /** @return the error the engine holds for the peer at an address, null if none */
    private static String lastError(SyncService engine, URI address) {
        for (PeerStatusDTO p : engine.peers()) {
            if (address.toString().equals(p.address) && p.lastError != null) {
                return p.lastError;
            }
        }
        return null;
    }

    private String waited() {
        return connectWaitMillis % 1000 == 0 ? connectWaitMillis / 1000 + " s" : connectWaitMillis + " ms";
    }

    @Descriptor("runs a sync round with a connected peer of the only engine now")
    public String sync(@Descriptor("the peer's node id (32 hex digits)") String peer) throws InterruptedException {
        return sync(peer, only());
    }

    @Descriptor("runs a sync round with a connected peer of a store's engine now")
    public String sync(@Descriptor("the peer's node id") String peer, @Descriptor("store name") String store)
            throws InterruptedException {
        try {
            PeerStatusDTO p = engine(store).syncNow(NodeId.parse(peer)).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return "in sync with " + p.nodeId + ": pending out " + p.pendingOutbound + ", in " + p.pendingInbound;
        } catch (TimeoutException e) {
            return "the round with " + peer + " is still running after " + WAIT_SECONDS + " s";
        } catch (ExecutionException e) {
            throw asBlaze(e.getCause());
        } catch (IllegalArgumentException e) {
            throw new BlazeException(ErrorCode.INVALID_ID, e.getMessage());
        }
    }

    @Descriptor("lists the relays (transports) running now")
    public String relays() {
        StringBuilder out = new StringBuilder();
        relays.values().forEach(r -> out.append(String.format("%-10s %s%n", r.scheme(), r.describe())));
        return out.length() == 0 ? "no relay is running" : out.toString().stripTrailing();
    }

    @Descriptor("lists the conflict resolvers running now, with their ranking")
    public String resolvers() {
        StringBuilder out = new StringBuilder();
        resolvers.values().forEach(r -> out.append(String.format("%-10s ranking %s%n",
                ((ConflictResolver) r[0]).name(), r[1] == null ? 0 : r[1])));
        return out.length() == 0 ? "no resolver is running" : out.toString().stripTrailing();
    }

    @Descriptor("shows the resolver each sync engine uses for new conflicts, and what its configuration names")
    public String resolver() {
        awaitEngines(() -> !engines.isEmpty());
        StringBuilder out = new StringBuilder();
        engines.forEach((name, e) -> out.append(String.format("%-16s %-14s %s%n", name,
                e.status().resolver == null ? "(none running)" : e.status().resolver, "configured: " + configuredOf(name))));
        return out.length() == 0 ? "no sync engine is running" : out.toString().stripTrailing();
    }

    @Descriptor("chooses the conflict resolver of the only sync engine (kept in its configuration across restarts)")
    public String resolver(@Descriptor("a running resolver's name, such as lww or merge; or --auto for the highest-ranked")
                           String choice) throws InterruptedException {
        return resolver(choice, only());
    }

    @Descriptor("chooses the conflict resolver of a store's sync engine (kept in its configuration across restarts)")
    public String resolver(@Descriptor("a running resolver's name, or --auto for the highest-ranked") String choice,
                           @Descriptor("store name") String store) throws InterruptedException {
        SyncService engine = engine(store);
        boolean auto = AUTO.equals(choice);
        if (!auto && runningResolvers().stream().noneMatch(choice::equals)) {
            throw new BlazeException(ErrorCode.NOT_FOUND, "No resolver named '" + choice + "' is running (running: "
                    + String.join(", ", runningResolvers()) + "); start its bundle first, or use " + AUTO);
        }
        choice().choose(store, auto ? null : choice);
        String expected = auto ? highestRanked() : choice;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(resolverWaitMillis);
        while (!java.util.Objects.equals(expected, engine.status().resolver) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String now = engine.status().resolver;
        String configured = auto ? "the highest-ranked resolver" : choice;
        if (!java.util.Objects.equals(expected, now)) {
            return "store " + store + ": configured " + configured + ", but the engine still uses " + now
                    + " after " + resolverWaitMillis + " ms; check 'resolver' again";
        }
        return "store " + store + ": new conflicts are resolved by " + now + " (configured: " + configured
                + "; kept across restarts)";
    }

    private String configuredOf(String store) {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return "unknown (Config Admin is not running)";
        }
        try {
            String name = new ResolverChoice(admin).configured(store);
            return name == null ? "highest-ranked" : name;
        } catch (BlazeException e) {
            return "not through Config Admin";
        }
    }

    private ResolverChoice choice() {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            throw new BlazeException(ErrorCode.UNAVAILABLE, "Config Admin is not running: start org.apache.felix.configadmin "
                    + "to choose a resolver");
        }
        return new ResolverChoice(admin);
    }

    private List<String> runningResolvers() {
        return resolvers.values().stream().map(r -> ((ConflictResolver) r[0]).name()).distinct().sorted().toList();
    }

    /** The resolver an engine configured without a name uses: highest ranking, then lowest service id. */
    private String highestRanked() {
        Object[] best = null;
        for (Object[] r : resolvers.values()) {
            if (best == null || rank(r) > rank(best) || (rank(r) == rank(best) && id(r) < id(best))) {
                best = r;
            }
        }
        return best == null ? null : ((ConflictResolver) best[0]).name();
    }

    private static int rank(Object[] resolver) {
        return resolver[1] instanceof Integer i ? i : 0;
    }

    private static long id(Object[] resolver) {
        return resolver[2] instanceof Long l ? l : Long.MAX_VALUE;
    }

    private String only() {
        awaitEngines(() -> !engines.isEmpty());
        List<String> names = new ArrayList<>(engines.keySet());
        if (names.size() != 1) {
            throw new BlazeException(ErrorCode.NOT_FOUND, names.isEmpty()
                    ? "No sync engine is running; configure one (factory PID org.blazedb.sync)"
                    : "Several sync engines run (" + names + "); name the store");
        }
        return names.get(0);
    }

    private SyncService engine(String store) {
        awaitEngines(() -> engines.containsKey(store));
        SyncService e = engines.get(store);
        if (e == null) {
            throw new BlazeException(ErrorCode.NOT_FOUND, "No sync engine for store '" + store + "'; running: " + engines.keySet());
        }
        return e;
    }

    /**
     * A node runs its first commands while its components still start: wait a little (at most
     * {@link #START_WAIT_MILLIS}) for the engine a command needs, as the data commands wait for
     * their store.
     */
    private void awaitEngines(java.util.function.BooleanSupplier ready) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startWaitMillis);
        while (!ready.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String table(List<PeerStatusDTO> peers) {
        if (peers.isEmpty()) {
            return "no peers";
        }
        StringBuilder out = new StringBuilder(String.format("%-32s %-5s %-8s %8s %8s %8s %8s %6s %6s %6s  %s%n",
                "peer", "conn", "relay", "out", "in", "sent", "recv", "dup", "confl", "errors", "last sync / last error"));
        for (PeerStatusDTO p : peers) {
            out.append(String.format("%-32s %-5s %-8s %8d %8d %8d %8d %6d %6d %6d  %s%n",
                    p.nodeId == null ? p.address : p.nodeId, p.connected ? "yes" : "no", p.relay == null ? "-" : p.relay,
                    p.pendingOutbound, p.pendingInbound, p.operationsSent, p.operationsReceived, p.operationsDuplicate,
                    p.conflictsResolved,
                    p.errors, (p.lastSyncMillis == 0 ? "never" : Instant.ofEpochMilli(p.lastSyncMillis).toString())
                            + (p.lastError == null ? "" : " / " + p.lastError)));
        }
        return out.toString().stripTrailing();
    }

    private static BlazeException asBlaze(Throwable t) {
        return t instanceof BlazeException b ? b : new BlazeException(ErrorCode.PEER_UNREACHABLE, String.valueOf(t.getMessage()), t);
    }
}
