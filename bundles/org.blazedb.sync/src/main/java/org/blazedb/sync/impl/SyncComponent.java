package org.blazedb.sync.impl;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.ConflictListener;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The sync engine of one store, one instance per configuration of the factory PID
 * {@link Pids#SYNC}. The configuration names the store twice: {@code blaze.store.name} (published
 * on this service, and the store whose changes it listens to) and {@code replica.target}, the
 * filter {@code (blaze.store.name=NAME)} that binds the store's {@link Replica}.
 *
 * <p>It is the store's {@link ChangeListener} (local writes are pushed without polling), binds
 * every {@link Relay} and {@link ConflictResolver} dynamically and greedily (relays and resolvers
 * come and go at runtime), and tells every {@link ConflictListener} of each resolution.
 */
@Component(configurationPid = Pids.SYNC, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {SyncService.class, ChangeListener.class})
@Designate(ocd = SyncComponent.Config.class, factory = true)
public class SyncComponent extends EngineBackedSyncService {
    private static final Logger LOG = Logger.getLogger(SyncComponent.class.getName());

    /** The configuration of one engine. */
    @ObjectClassDefinition(name = "BlazeDB sync engine", description = "Keeps one store in sync with its peers.")
    public @interface Config {
        /** @return the store's name */
        @AttributeDefinition(name = "Store name", description = "blaze.store.name of the store to sync")
        String blaze_store_name() default "default";

        /** @return the filter selecting the store's replica */
        @AttributeDefinition(name = "Replica filter",
                description = "Selects the store's Replica service: (blaze.store.name=NAME) with the same name")
        String replica_target() default "(blaze.store.name=default)";

        /** @return addresses to connect to on start */
        @AttributeDefinition(name = "Peers", description = "Addresses to connect to and keep syncing with, such as memory:db2",
                required = false)
        String[] peers() default {};

        /** @return the resolver name to prefer */
        @AttributeDefinition(name = "Resolver", required = false,
                description = "Name of the conflict resolver to use; while it is not running, lww. Empty: the highest-ranked one")
        String resolver() default "";

        /** @return batch size */
        @AttributeDefinition(name = "Batch operations", description = "Most operations per OPS frame")
        int batch_max_ops() default 1000;

        /** @return batch bytes */
        @AttributeDefinition(name = "Batch bytes", description = "Most encoded bytes per OPS frame")
        int batch_max_bytes() default 1 << 20;

        /** @return credit window */
        @AttributeDefinition(name = "Window", description = "OPS frames accepted unacknowledged (the credit window)")
        int window() default 16;

        /** @return ping interval */
        @AttributeDefinition(name = "Ping interval (ms)", description = "Idle time after which a PING is sent")
        long ping_interval_ms() default 5_000;

        /** @return first reconnect delay */
        @AttributeDefinition(name = "Reconnect delay (ms)", description = "First reconnect delay, doubled per failure")
        long reconnect_min_ms() default 100;

        /** @return longest reconnect delay */
        @AttributeDefinition(name = "Longest reconnect delay (ms)", description = "Upper bound of the reconnect delay")
        long reconnect_max_ms() default 30_000;
    }

    private final Replica replica;
    private volatile String storeName;
    /** Guarded by {@code resolvers}. */
    /** The resolver a configured choice falls back to while the configured one is not running. */
    static final String DEFAULT_RESOLVER = "lww";

    private String preferredResolver;
    private EngineSettings settings;
    private List<URI> peers;
    private volatile SyncEngine engine;
    private final TreeMap<ServiceReference<?>, Relay> relays = new TreeMap<>(java.util.Comparator.reverseOrder());
    private final TreeMap<ServiceReference<?>, ConflictResolver> resolvers = new TreeMap<>(java.util.Comparator.reverseOrder());
    private volatile List<Relay> relayList = List.of();
    private volatile ConflictResolver activeResolver;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ConflictListener> conflictListeners;

    /**
     * @param config  the configuration
     * @param replica the store's replica
     */
    @Activate
    public SyncComponent(Config config, @Reference(name = "replica") Replica replica) {
        this.replica = replica;
        this.storeName = config.blaze_store_name();
        this.preferredResolver = config.resolver();
        start(config, List.of());
    }

    /**
     * @param config  the configuration
     * @param carried addresses to connect to besides the configuration's peers
     */
    private void start(Config config, List<URI> carried) {
        settings = settingsOf(config);
        peers = peersOf(config);
        engine = new SyncEngine(replica, settings, new BlazeBinaryOperationsCodec(),
                new ThreadEngineExecutor("blaze-sync-" + storeName), () -> activeResolver, () -> relayList, this::tellListeners);
        for (URI peer : peers) {
            engine.connect(peer);
        }
        for (URI address : carried) {
            engine.connect(address); // one the configuration names too is connected once
        }
    }

    /**
     * A new configuration: a different resolver takes effect at once, for the next conflict, with
     * sessions left running (what {@code blaze:resolver} relies on); other changed settings restart
     * the engine, which resumes every peer from its persisted state and keeps the connections made
     * at runtime.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(Config config) {
        synchronized (resolvers) {
            preferredResolver = config.resolver();
            chooseResolver();
        }
        storeName = config.blaze_store_name();
        if (!settingsOf(config).equals(settings) || !peersOf(config).equals(peers)) {
            LOG.log(Level.INFO, "Sync engine of store {0}: settings changed, restarting it", storeName);
            SyncEngine old = engine;
            old.close();
            // Connections made at runtime (blaze:connect, a node's --peer) go on in the new engine;
            // those the old configuration named give way to the new configuration's peers.
            List<URI> carried = old.addressesAtStop().stream().filter(a -> !peers.contains(a)).toList();
            start(config, carried);
            engine.relaysChanged();
        }
    }

    private static EngineSettings settingsOf(Config config) {
        return new EngineSettings(config.batch_max_ops(), config.batch_max_bytes(), config.window(),
                config.ping_interval_ms(), config.reconnect_min_ms(), config.reconnect_max_ms(),
                EngineSettings.DEFAULTS.stateRecordMillis());
    }

    private static List<URI> peersOf(Config config) {
        return java.util.Arrays.stream(config.peers()).map(String::trim).filter(p -> !p.isEmpty()).map(URI::create).toList();
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRelay(Relay relay, ServiceReference<Relay> ref) {
        synchronized (relays) {
            relays.put(ref, relay);
            relayList = List.copyOf(relays.values());
        }
        engine.relaysChanged();
    }

    void unbindRelay(Relay relay, ServiceReference<Relay> ref) {
        synchronized (relays) {
            relays.remove(ref);
            relayList = List.copyOf(relays.values());
        }
        engine.relaysChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindResolver(ConflictResolver resolver, ServiceReference<ConflictResolver> ref) {
        synchronized (resolvers) {
            resolvers.put(ref, resolver);
            chooseResolver();
        }
    }

    void unbindResolver(ConflictResolver resolver, ServiceReference<ConflictResolver> ref) {
        synchronized (resolvers) {
            resolvers.remove(ref);
            chooseResolver();
        }
    }

    /**
     * The configured resolver while it runs, otherwise the default {@value #DEFAULT_RESOLVER}; with no
     * resolver configured, the highest-ranked one. A configured choice never falls to another
     * resolver that merely ranks higher: at start-up a node configured for lww must not decide its
     * first conflicts with merge because merge's bundle happened to start first (with the
     * decision-as-operation design such a decision would replicate). With neither running, sessions
     * wait (UNAVAILABLE) until one comes.
     */
    private void chooseResolver() {
        ConflictResolver before = activeResolver;
        List<Map.Entry<String, ConflictResolver>> byRanking = new ArrayList<>();
        for (Map.Entry<ServiceReference<?>, ConflictResolver> e : resolvers.entrySet()) {
            byRanking.add(Map.entry(String.valueOf(e.getKey().getProperty(ConflictResolver.NAME)), e.getValue()));
        }
        ConflictResolver chosen = choose(preferredResolver, byRanking);
        activeResolver = chosen;
        if (chosen == before) {
            return;
        }
        LOG.log(Level.INFO, "Sync engine of store {0} resolves conflicts with {1}",
                new Object[] {storeName, chosen == null ? "(none running)" : chosen.name()});
    }

    /**
     * @param preferred the configured resolver name, or empty
     * @param byRanking the running resolvers by name, highest-ranked first
     * @return the one to use (see {@link #chooseResolver()}), or null when none may be used
     */
    static <R> R choose(String preferred, List<Map.Entry<String, R>> byRanking) {
        if (preferred.isEmpty()) {
            return byRanking.isEmpty() ? null : byRanking.get(0).getValue();
        }
        R named = named(preferred, byRanking);
        return named != null ? named : named(DEFAULT_RESOLVER, byRanking);
    }

    private static <R> R named(String name, List<Map.Entry<String, R>> byRanking) {
        for (Map.Entry<String, R> e : byRanking) {
            if (name.equals(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private void tellListeners(ConflictEventDTO event) {
        List<ConflictListener> listeners = conflictListeners;
        if (listeners == null) {
            return;
        }
        for (ConflictListener l : List.copyOf(listeners)) {
            try {
                l.resolved(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A conflict listener failed", e);
            }
        }
    }

    @Override
    SyncEngine engine() {
        return engine;
    }

    @Override
    String storeName() {
        return storeName;
    }

    @Override
    List<Relay> relays() {
        return relayList;
    }

    @Override
    String resolverName() {
        ConflictResolver r = activeResolver;
        return r == null ? null : r.name();
    }

    /** @return the store this engine syncs */
    Store store() {
        return replica.store();
    }
}
