package org.blazedb.integration;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.SyncService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Creates stores and sync engines through Config Admin and finds their services. */
final class SyncSupport {
    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;

    SyncSupport(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /** A store in a fresh temporary folder, plus its sync engine connecting to {@code peers}. */
    void createStoreWithEngine(String name, String... peers) throws IOException {
        createStoreWithEngine(name, java.util.Map.of(), peers);
    }

    /** As above, with further engine settings (such as {@code window}) or a {@code resolver}. */
    void createStoreWithEngine(String name, java.util.Map<String, Object> settings, String... peers) throws IOException {
        Configuration store = configAdmin.getFactoryConfiguration(Pids.STORE, name, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Store.NAME, name);
        props.put("data.folder", TestFolders.create("blaze-sync-it-" + name).toString());
        store.update(props);
        createEngine(name, settings, peers);
    }

    /** The sync engine of the store {@code name} (created before): its configuration, created or replaced. */
    void createEngine(String name, java.util.Map<String, Object> settings, String... peers) throws IOException {
        Configuration sync = configAdmin.getFactoryConfiguration(Pids.SYNC, name, "?");
        Dictionary<String, Object> syncProps = new Hashtable<>();
        syncProps.put(Store.NAME, name);
        syncProps.put("replica.target", "(" + Store.NAME + "=" + name + ")");
        syncProps.put("peers", peers);
        syncProps.put("reconnect.min.ms", 50L);
        syncProps.put("reconnect.max.ms", 500L);
        settings.forEach(syncProps::put);
        sync.update(syncProps);
    }

    Store store(String name) throws InterruptedException {
        return await(Store.class, name);
    }

    SyncService engine(String name) throws InterruptedException {
        return await(SyncService.class, name);
    }

    Replica replica(String name) throws InterruptedException {
        return await(Replica.class, name);
    }

    Optional<SyncService> findEngine(String name) {
        return find(SyncService.class, name);
    }

    private <T> T await(Class<T> type, String name) throws InterruptedException {
        Object[] found = new Object[1];
        BlazeTestSupport.awaitCondition(type.getSimpleName() + " " + name, () -> {
            found[0] = find(type, name).orElse(null);
            return found[0] != null;
        });
        return type.cast(found[0]);
    }

    private <T> Optional<T> find(Class<T> type, String name) {
        try {
            for (ServiceReference<T> ref : context.getServiceReferences(type, "(" + Store.NAME + "=" + name + ")")) {
                T service = context.getService(ref);
                if (service != null) {
                    return Optional.of(service);
                }
            }
            return Optional.empty();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
