package org.blazedb.relay.memory.impl;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.SyncService;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code memory} relay: links between two sync engines <em>in the same JVM</em>, each
 * direction an in-process queue of frames drained by a thread of this relay (or, for a small frame
 * to an idle receiver, handed over on the sending thread, which saves waking one). It is exactly that —
 * no socket, no file, nothing leaves the process — and exists so that two stores in one framework
 * (tests, benchmarks, an application keeping a cache replica) sync through the very same protocol
 * path as the network relays: every frame is the encoded bytes a socket would carry.
 *
 * <p>Addresses are {@code memory:<store name>}; connecting hands the other end of the new link to
 * the {@link SyncService} registered with that {@link Store#NAME}.
 */
@Component(configurationPid = Pids.RELAY_MEMORY, property = Relay.SCHEME + "=" + InMemoryRelay.SCHEME)
public class InMemoryRelay implements Relay {
    /** The URI scheme of this relay. */
    public static final String SCHEME = "memory";

    private final Map<String, Target> engines = new ConcurrentHashMap<>();
    private final Set<MemoryLink> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inboundCount = new AtomicInteger();
    /** Set when the relay stops: no link is opened after that (its large frames would have no thread). */
    private volatile boolean stopped;
    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blaze-relay-memory");
        t.setDaemon(true);
        return t;
    });

    /**
     * Binds an engine without getting its service object: the engine binds this relay while it
     * activates, so getting the engine here would be a cycle. The object is fetched on connect.
     *
     * @param engine     the engine's service objects
     * @param properties its service properties, with {@link Store#NAME}
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSyncService(ComponentServiceObjects<SyncService> engine, Map<String, Object> properties) {
        Object name = properties.get(Store.NAME);
        if (name != null) {
            engines.put(name.toString(), new Target(engine, null));
        }
    }

    void unbindSyncService(ComponentServiceObjects<SyncService> engine, Map<String, Object> properties) {
        Object name = properties.get(Store.NAME);
        if (name != null) {
            engines.computeIfPresent(name.toString(), (k, t) -> t.objects == engine ? null : t);
        }
    }

    /**
     * Makes an engine reachable as {@code memory:<storeName>} outside OSGi (benchmarks, tests).
     *
     * @param storeName the store's name
     * @param engine    its engine
     */
    public void register(String storeName, SyncService engine) {
        engines.put(storeName, new Target(null, engine));
    }

    /** Closes every link and stops the delivery threads (public for use outside OSGi). */
    @Deactivate
    public void deactivate() {
        stopped = true;
        for (MemoryLink link : open) {
            link.close(ErrorCode.UNAVAILABLE, "the in-memory relay stopped");
        }
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public CompletionStage<Link> connect(URI address, LinkHandler handler) {
        if (!SCHEME.equals(address.getScheme())) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.NO_RELAY,
                    "The in-memory relay serves memory:<store> addresses, not " + address));
        }
        if (stopped) {
            return CompletableFuture.failedFuture(stoppedError());
        }
        String store = address.getSchemeSpecificPart();
        Target found = engines.get(store);
        SyncService target = found == null ? null : found.get();
        if (target == null) {
            return CompletableFuture.failedFuture(new BlazeException(ErrorCode.PEER_UNREACHABLE,
                    "No sync engine for store '" + store + "' runs in this JVM; configure one (PID "
                            + Pids.SYNC + ") or check the name"));
        }
        MemoryLink client = new MemoryLink(address, delivery, open);
        MemoryLink server = new MemoryLink(URI.create(SCHEME + ":inbound-" + inboundCount.incrementAndGet()), delivery, open);
        // both ends know each other before either handler can send (accept may send at once)
        client.join(server);
        server.join(client);
        if (stopped) {
            // stopped meanwhile, perhaps without seeing these links in the registry: close them here
            client.close(ErrorCode.UNAVAILABLE, "the in-memory relay stopped");
            found.release(target);
            return CompletableFuture.failedFuture(stoppedError());
        }
        client.handle(handler);
        try {
            server.handle(target.accept(server));
        } finally {
            found.release(target);
        }
        return CompletableFuture.completedFuture(client);
    }

    private static BlazeException stoppedError() {
        return new BlazeException(ErrorCode.UNAVAILABLE, "The in-memory relay has stopped; connect again once it runs");
    }

    /** An engine bound by DS (fetched when needed) or registered directly. */
    private record Target(ComponentServiceObjects<SyncService> objects, SyncService direct) {
        SyncService get() {
            return direct != null ? direct : objects.getService();
        }

        void release(SyncService engine) {
            if (objects != null) {
                objects.ungetService(engine);
            }
        }
    }

    @Override
    public String describe() {
        return "memory: in-process queues between sync engines in this JVM (no sockets); "
                + engines.size() + " engine(s) reachable, " + open.size() / 2 + " link(s) open";
    }
}
