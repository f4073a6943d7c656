package org.blazedb.store.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Names;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationLog;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Replica;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A store as an OSGi service: one per factory configuration of {@link Pids#STORE}, registered as
 * {@link Store} and {@link Replica} with the service property {@link Store#NAME}. Delivers changes
 * to every {@link ChangeListener} service whose {@link ChangeListener#STORE_NAME} is absent or this
 * store's name, restricted to its {@link ChangeListener#COLLECTIONS} when set.
 */
// Immediate: a store opens once per configuration and stays open, not with each client's use.
@Component(configurationPid = Pids.STORE, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {Store.class, Replica.class},
        immediate = true)
@Designate(ocd = StoreComponent.Config.class, factory = true)
public final class StoreComponent implements Store, Replica {
    /** The configuration of one store. */
    @ObjectClassDefinition(name = "BlazeDB store", description = "One local BlazeDB database: documents, operation log and sync state in one data folder.")
    public @interface Config {
        /** @return the store's name, its service property blaze.store.name */
        @AttributeDefinition(name = "Name", description = "The store's name, unique in the framework; clients select the store by it (service property blaze.store.name).")
        String blaze_store_name() default "default";

        /** @return the data folder */
        @AttributeDefinition(name = "Data folder", description = "Where the store keeps its file. Empty: <framework property blaze.data>/<name>.")
        String data_folder() default "";

        /** @return durability */
        @AttributeDefinition(name = "Durability", description = "SYNC: each write is fsynced before it returns (concurrent writers share fsyncs). "
                + "RELAXED: fsync at most every 'relaxed sync interval'; a power failure can lose that interval's writes, a process kill loses nothing.")
        Durability durability() default Durability.SYNC;

        /** @return the fsync interval in RELAXED mode */
        @AttributeDefinition(name = "Relaxed sync interval (ms)", description = "In RELAXED mode, the longest time between fsyncs.", min = "1")
        int relaxed_sync_millis() default 100;

        /** @return page cache size */
        @AttributeDefinition(name = "Cache size (MiB)", description = "The storage engine's page cache.", min = "1")
        int cache_size_mb() default StoreOptions.DEFAULT_CACHE_SIZE_MB;

        /** @return the document cache size */
        @AttributeDefinition(name = "Document cache (MiB)", description = "Decoded documents kept in memory for point reads by id, "
                + "bounded by their estimated size; least recently used ones are evicted first (approximately). 0 turns it off.", min = "0")
        int document_cache_mb() default StoreOptions.DEFAULT_DOCUMENT_CACHE_MB;

        /** @return the free-space reserve */
        @AttributeDefinition(name = "Free space reserve (bytes)", description = "Writes fail with DISK_FULL, writing nothing, when the disk has less usable space than this.", min = "0")
        long min_free_bytes() default StoreOptions.DEFAULT_MIN_FREE_BYTES;
    }

    private static final System.Logger LOG = System.getLogger(StoreComponent.class.getName());

    private final StoreEngine engine;
    private final Map<ChangeListener, AutoCloseable> listeners = new ConcurrentHashMap<>();

    /**
     * Opens the store.
     *
     * @param config  its configuration
     * @param context the bundle context, for the framework property {@link Pids#DATA_FOLDER_PROPERTY}
     */
    @Activate
    public StoreComponent(Config config, BundleContext context) {
        try {
            this.engine = StoreEngine.open(options(config, context.getProperty(Pids.DATA_FOLDER_PROPERTY)));
        } catch (RuntimeException e) {
            // The component runtime records a failed activation only in the OSGi log, which nothing
            // prints: without this line a user sees just "no store named ..." in the shell.
            LOG.log(System.Logger.Level.ERROR, "Store '" + config.blaze_store_name() + "' did not start: " + e);
            throw e;
        }
    }

    static StoreOptions options(Config config, String dataProperty) {
        String name = Names.collection(config.blaze_store_name()); // store names follow the collection-name rules
        Path folder;
        if (!config.data_folder().isBlank()) {
            folder = Path.of(config.data_folder());
        } else if (dataProperty != null && !dataProperty.isBlank()) {
            folder = Path.of(dataProperty, name);
        } else {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Store '" + name + "' has no data folder: set 'data.folder' in its configuration ("
                    + Pids.STORE + ") or the framework property " + Pids.DATA_FOLDER_PROPERTY);
        }
        return new StoreOptions(name, folder, config.durability(), config.relaxed_sync_millis(), config.cache_size_mb(), config.min_free_bytes(),
                config.document_cache_mb());
    }

    /** Stops the listeners and closes the store. */
    @Deactivate
    void deactivate() {
        engine.close();
    }

    /**
     * @param listener   a change listener service
     * @param properties its service properties
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeListener")
    void addListener(ChangeListener listener, Map<String, Object> properties) {
        Object store = properties.get(ChangeListener.STORE_NAME);
        if (store != null && !engine.name().equals(String.valueOf(store))) {
            return;
        }
        listeners.put(listener, engine.addListener(listener, collections(properties.get(ChangeListener.COLLECTIONS))));
    }

    void removeListener(ChangeListener listener) {
        AutoCloseable feed = listeners.remove(listener);
        if (feed != null) {
            try {
                feed.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Set<String> collections(Object property) {
        if (property == null) {
            return Set.of();
        }
        if (property instanceof String s) {
            return Set.of(s);
        }
        if (property instanceof String[] a) {
            return Set.of(a);
        }
        if (property instanceof java.util.Collection<?> c) {
            return Set.copyOf(c.stream().map(String::valueOf).toList());
        }
        return Set.of(String.valueOf(property));
    }

    // Store and Replica: the engine's.

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public NodeId nodeId() {
        return engine.nodeId();
    }

    @Override
    public Collection collection(String name) {
        return engine.collection(name);
    }

    @Override
    public SortedSet<String> collectionNames() {
        return engine.collectionNames();
    }

    @Override
    public List<Document> write(WriteBatch batch) {
        return engine.write(batch);
    }

    @Override
    public CompletableFuture<List<Document>> writeAsync(WriteBatch batch) {
        return engine.writeAsync(batch);
    }

    @Override
    public OperationLog log() {
        return engine.log();
    }

    @Override
    public VersionVector version() {
        return engine.version();
    }

    @Override
    public org.blazedb.api.dto.DocumentCacheDTO documentCache() {
        return engine.documentCache();
    }

    @Override
    public Store store() {
        return this;
    }

    @Override
    public Cursor<Operation> operationsMissingFrom(VersionVector known) {
        return engine.operationsMissingFrom(known);
    }

    @Override
    public Cursor<EncodedOperation> encodedOperationsMissingFrom(VersionVector known) {
        return engine.encodedOperationsMissingFrom(known);
    }

    @Override
    public ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver) {
        return engine.apply(from, ops, resolver);
    }

    @Override
    public VersionVector peerVersion(NodeId peer) {
        return engine.peerVersion(peer);
    }

    @Override
    public void recordPeerVersion(NodeId peer, VersionVector version) {
        engine.recordPeerVersion(peer, version);
    }

    @Override
    public List<NodeId> knownPeers() {
        return engine.knownPeers();
    }

    @Override
    public String toString() {
        return "Store[" + engine.name() + "]";
    }
}
