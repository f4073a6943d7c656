package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class WatchCommandTest {
    private static final long WAIT_MILLIS = 10_000;

    @TempDir
    Path dir;
    private StoreEngine store;
    private BlazeCommands commands;
    private PrintStream stdout;

    @BeforeEach
    void setUp() {
        store = StoreEngine.open(StoreOptions.defaults("default", dir.resolve("db")));
        commands = new BlazeCommands(storeWhiteboard(), 0);
        commands.addStore(store);
        stdout = System.out;
    }

    @AfterEach
    void tearDown() {
        System.setOut(stdout);
        store.close();
    }

    /**
     * More changes than the watch queue holds, and a terminal that takes the first line only once
     * the store's delivery thread waits on the full queue: when watch ends (here at its count), that
     * thread must end too. The store's feed waits up to 2 s for it on unregistering; a thread still
     * alive when watch returns is one that wait gave up on, blocked for good.
     */
    @Test
    void watchEndingWithAFullQueueReleasesTheStoresDeliveryThread() throws Exception {
        for (int b = 0; b < 12; b++) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 1000; i++) {
                batch.put("docs", "d" + b + "-" + i, MapValue.builder().put("i", i).build());
            }
            store.write(batch);
        }
        Thread[] delivery = new Thread[1];
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int c) {
                if (delivery[0] == null) {
                    delivery[0] = awaitDeliveryThreadWaitingOnTheQueue();
                }
            }
        }, true, StandardCharsets.UTF_8));

        assertEquals("1 change", commands.watch("default", 1, 0, true));
        assertNotNull(delivery[0], "the delivery thread never waited on a full queue");
        assertFalse(delivery[0].isAlive(), "the store's delivery thread outlived watch: " + Arrays.toString(delivery[0].getStackTrace()));
    }

    /** @return the store's delivery thread, once it waits for room in the watch's queue */
    private static Thread awaitDeliveryThreadWaitingOnTheQueue() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("blaze-store-default-listener") && t.getState() != Thread.State.RUNNABLE
                        && Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(LinkedBlockingQueue.class.getName()))) {
                    return t;
                }
            }
            try {
                Thread.sleep(10); // polling a condition, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** A BundleContext whose registerService hands a ChangeListener to the store, as the store's whiteboard does. */
    private BundleContext storeWhiteboard() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, args) -> {
                    if (!m.getName().equals("registerService")) {
                        // watch registers its listener and nothing else; any other call is a change this test must learn of
                        throw new UnsupportedOperationException("the test's BundleContext stands in for registerService only, not "
                                + m.getName());
                    }
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> props = (Dictionary<String, Object>) args[2];
                    Object collections = props.get(ChangeListener.COLLECTIONS);
                    AutoCloseable feed = store.addListener((ChangeListener) args[1],
                            collections == null ? Set.of() : Set.of((String[]) collections));
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                            (p2, m2, a2) -> {
                                if (m2.getName().equals("unregister")) {
                                    feed.close();
                                }
                                return null;
                            });
                });
    }
}
