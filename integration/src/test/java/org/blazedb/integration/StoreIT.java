package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Document;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.value.MapValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The store bundle in Felix: a factory configuration brings a {@link Store} (and its
 * {@link Replica}) up, its data survives a restart of the bundle, and committed changes reach a
 * {@link ChangeListener} registered on the whiteboard.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StoreIT extends BlazeTestSupport {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void aConfiguredStoreKeepsItsDataAcrossABundleRestartAndNotifiesListeners() throws Exception {
        Path folder = TestFolders.create("blaze-store-it");
        Configuration config = configAdmin.getFactoryConfiguration(Pids.STORE, "it", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Store.NAME, "it");
        props.put("data.folder", folder.toString());
        config.update(props);
        List<Change> received = Collections.synchronizedList(new ArrayList<>());
        Hashtable<String, Object> listenerProps = new Hashtable<>();
        listenerProps.put(ChangeListener.STORE_NAME, "it");
        listenerProps.put(ChangeListener.COLLECTIONS, new String[] {"notes"});
        ServiceRegistration<ChangeListener> listener = context.registerService(ChangeListener.class, received::addAll, listenerProps);
        try {
            Store store = awaitStore("it");
            assertNotNull("the Replica view is registered with the same name", awaitService(Replica.class, "it"));
            Document written = store.collection("notes").put("n1", MapValue.builder().put("t", "hi").build());
            store.collection("other").put("x", MapValue.EMPTY);
            awaitCondition("the listener receives the write", () -> received.size() == 1);
            assertEquals("n1", received.get(0).operation().documentId());
            assertTrue(received.get(0).local());
            assertTrue(Files.exists(folder.resolve("blaze.mv.db")));

            Bundle storeBundle = FrameworkUtil.getBundle(store.getClass());
            assertEquals("org.blazedb.store", storeBundle.getSymbolicName());
            storeBundle.stop();
            assertFalse("no store while its bundle is stopped", findStore("it").isPresent());
            storeBundle.start();
            Store restarted = awaitStore("it");
            assertEquals(store.nodeId(), restarted.nodeId());
            assertEquals(Optional.of(written), restarted.collection("notes").get("n1"));

            restarted.collection("notes").put("n2", MapValue.builder().put("t", "again").build());
            awaitCondition("the listener receives the write after the restart", () -> received.stream()
                    .anyMatch(c -> c.operation().documentId().equals("n2")));
        } finally {
            listener.unregister();
            config.delete();
        }
        awaitCondition("the store goes away with its configuration", () -> findStore("it").isEmpty());
    }

    private Store awaitStore(String name) throws Exception {
        return awaitService(Store.class, name);
    }

    private <T> T awaitService(Class<T> type, String name) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + type.getName() + ")(" + Store.NAME + "=" + name + "))"), null);
        tracker.open();
        try {
            T service = tracker.waitForService(WAIT_MILLIS);
            assertNotNull(type.getSimpleName() + " '" + name + "' is registered", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    private Optional<Store> findStore(String name) {
        try {
            for (ServiceReference<Store> ref : context.getServiceReferences(Store.class, "(" + Store.NAME + "=" + name + ")")) {
                return Optional.ofNullable(context.getService(ref));
            }
            return Optional.empty();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
