package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.NodeId;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.blazedb.api.sync.Resolution;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.sync.dto.SyncStatusDTO;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class SyncCommandsTest {
    private final SyncCommands commands = new SyncCommands();

    {
        commands.startWaitMillis = 0;
    }
    private final FakeEngine engine = new FakeEngine();

    @Test
    void statusAndPeersShowTheEngine() {
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        String status = commands.status();
        assertTrue(status.contains("store db1") && status.contains("resolver lww"), status);
        assertTrue(status.contains("0000000000000000000000000000000b") && status.contains("memory"), status);
        assertEquals(commands.status("db1"), status);
    }

    @Test
    void connectAndDisconnectGoToTheEngine() throws Exception {
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        assertTrue(commands.connect("memory:db2").startsWith("connected to 0000000000000000000000000000000b"));
        assertEquals(List.of(URI.create("memory:db2")), engine.connected);
        assertEquals("disconnected from memory:db2", commands.disconnect("memory:db2"));
    }

    /**
     * An unknown store, a refused token or certificate, another protocol version: the engine retries
     * for ever, and connect's answer after its wait says why the last attempt failed.
     */
    @Test
    void connectThatKeepsRetryingSaysWhyTheLastAttemptFailed() throws Exception {
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        commands.connectWaitMillis = 50;
        engine.retrying = URI.create("tcp://10.0.0.7:7420");
        engine.lastError = "E402 AUTH_FAILED: the peer refused this node's token";

        assertEquals("still connecting to tcp://10.0.0.7:7420 after 50 ms; the last attempt failed: E402 AUTH_FAILED: the peer "
                + "refused this node's token; it keeps retrying (see 'peers'; 'disconnect tcp://10.0.0.7:7420' stops it)",
                commands.connect("tcp://10.0.0.7:7420"));
    }

    @Test
    void connectThatKeepsRetryingWithoutAnErrorYetSaysSo() throws Exception {
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        commands.connectWaitMillis = 50;
        engine.retrying = URI.create("memory:db9");

        assertEquals("still connecting to memory:db9 after 50 ms; it keeps retrying (see 'peers'; 'disconnect memory:db9' stops it)",
                commands.connect("memory:db9"));
    }

    @Test
    void aMalformedAddressIsAnInvalidValue() {
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));

        BlazeException connect = assertThrows(BlazeException.class, () -> commands.connect("tcp://host name:7420"));
        assertEquals(ErrorCode.INVALID_VALUE, connect.code());
        assertTrue(connect.getMessage().startsWith("Cannot read the address 'tcp://host name:7420': Illegal character in authority"),
                connect.getMessage());
        assertTrue(connect.getMessage().endsWith("; write for example memory:db2 or tcp://host:7420"), connect.getMessage());
        BlazeException disconnect = assertThrows(BlazeException.class, () -> commands.disconnect("tcp://host name:7420"));
        assertEquals(ErrorCode.INVALID_VALUE, disconnect.code());
        assertEquals(List.of(), engine.connected);
    }

    @Test
    void errorsAreOneClearLine() {
        BlazeException none = assertThrows(BlazeException.class, commands::status);
        assertTrue(none.getMessage().contains("No sync engine is running"), none.getMessage());
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        commands.bindSyncService(new FakeEngine(), Map.of("blaze.store.name", "db2"));
        BlazeException several = assertThrows(BlazeException.class, commands::peers);
        assertTrue(several.getMessage().contains("name the store"), several.getMessage());
        BlazeException badId = assertThrows(BlazeException.class, () -> commands.sync("xyz", "db1"));
        assertEquals(ErrorCode.INVALID_ID, badId.code());
    }

    @Test
    void relaysAndResolversAreListed() {
        commands.bindRelay(new Relay() {
            @Override
            public String scheme() {
                return "memory";
            }

            @Override
            public CompletionStage<Link> connect(URI address, LinkHandler handler) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe() {
                return "in-process queues";
            }
        }, Map.of("service.id", 7L));
        commands.bindResolver(new ConflictResolver() {
            @Override
            public String name() {
                return "merge";
            }

            @Override
            public Resolution resolve(org.blazedb.api.sync.Conflict conflict) {
                throw new UnsupportedOperationException();
            }
        }, Map.of("service.id", 8L, "service.ranking", 10));
        assertTrue(commands.relays().contains("in-process queues"));
        assertTrue(commands.resolvers().contains("merge") && commands.resolvers().contains("ranking 10"), commands.resolvers());
    }

    @Test
    void resolverNameIsWrittenToTheEnginesConfigurationAndTakesEffect() throws Exception {
        FakeConfigAdmin admin = new FakeConfigAdmin();
        commands.configAdmin = admin.proxy();
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        commands.bindResolver(resolver("lww"), Map.of("service.id", 8L, "service.ranking", 0));
        commands.bindResolver(resolver("merge"), Map.of("service.id", 9L, "service.ranking", 10));
        admin.create("db1", "lww");
        // the engine takes up a new configuration as SyncComponent's @Modified does
        admin.onUpdate = props -> engine.resolver = props.get("resolver") == null ? "merge" : (String) props.get("resolver");
        assertTrue(commands.resolver().matches("db1\\s+lww\\s+configured: lww"), commands.resolver());

        String done = commands.resolver("merge");
        assertEquals("merge", admin.properties("db1").get("resolver"));
        assertEquals("merge", engine.resolver);
        assertTrue(done.contains("resolved by merge") && done.contains("kept across restarts"), done);

        done = commands.resolver("--auto", "db1");
        assertEquals(null, admin.properties("db1").get("resolver"), "auto removes the name: highest-ranked decides");
        assertEquals("db1", admin.properties("db1").get("blaze.store.name"), "the rest of the configuration is kept");
        assertTrue(done.contains("resolved by merge") && done.contains("highest-ranked"), done);
        assertTrue(commands.resolver().contains("configured: highest-ranked"), commands.resolver());

        commands.resolver("lww", "db1");
        assertEquals("lww", admin.properties("db1").get("resolver"));
        assertEquals("lww", engine.resolver);
    }

    @Test
    void resolverChoiceRefusesUnknownNamesAndUnconfiguredEngines() {
        FakeConfigAdmin admin = new FakeConfigAdmin();
        commands.bindSyncService(engine, Map.of("blaze.store.name", "db1"));
        commands.bindResolver(resolver("lww"), Map.of("service.id", 8L, "service.ranking", 0));
        BlazeException noAdmin = assertThrows(BlazeException.class, () -> commands.resolver("lww"));
        assertEquals(ErrorCode.UNAVAILABLE, noAdmin.code());
        commands.configAdmin = admin.proxy();
        BlazeException typo = assertThrows(BlazeException.class, () -> commands.resolver("mrege"));
        assertEquals(ErrorCode.NOT_FOUND, typo.code());
        assertTrue(typo.getMessage().contains("running: lww"), typo.getMessage());
        BlazeException unconfigured = assertThrows(BlazeException.class, () -> commands.resolver("lww"));
        assertTrue(unconfigured.getMessage().contains("No configuration of org.blazedb.sync"), unconfigured.getMessage());
        BlazeException noEngine = assertThrows(BlazeException.class, () -> commands.resolver("lww", "db9"));
        assertEquals(ErrorCode.NOT_FOUND, noEngine.code());
        assertEquals(0, admin.updates, "nothing was written");
    }

    private static ConflictResolver resolver(String name) {
        return new ConflictResolver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Resolution resolve(org.blazedb.api.sync.Conflict conflict) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** Config Admin holding factory configurations of org.blazedb.sync in memory, filtered by store name. */
    private static final class FakeConfigAdmin {
        final Map<String, Hashtable<String, Object>> byStore = new java.util.TreeMap<>();
        java.util.function.Consumer<Dictionary<String, Object>> onUpdate = p -> { };
        int updates;

        void create(String store, String resolver) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("service.factoryPid", "org.blazedb.sync");
            props.put("blaze.store.name", store);
            props.put("resolver", resolver);
            byStore.put(store, props);
        }

        Hashtable<String, Object> properties(String store) {
            return byStore.get(store);
        }

        ConfigurationAdmin proxy() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
                    (p, method, args) -> {
                        if (!method.getName().equals("listConfigurations")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        String filter = (String) args[0];
                        List<Configuration> found = new ArrayList<>();
                        byStore.forEach((store, props) -> {
                            if (filter.equals("(&(service.factoryPid=org.blazedb.sync)(blaze.store.name=" + store + "))")) {
                                found.add(configuration(store));
                            }
                        });
                        return found.isEmpty() ? null : found.toArray(Configuration[]::new);
                    });
        }

        private Configuration configuration(String store) {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                    (p, method, args) -> switch (method.getName()) {
                        case "getProperties" -> new Hashtable<>(byStore.get(store));
                        case "update" -> {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                            Hashtable<String, Object> copy = new Hashtable<>();
                            for (java.util.Enumeration<String> keys = props.keys(); keys.hasMoreElements(); ) {
                                String key = keys.nextElement();
                                copy.put(key, props.get(key));
                            }
                            byStore.put(store, copy);
                            updates++;
                            onUpdate.accept(copy);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** Answers like an engine with one connected peer. */
    private static final class FakeEngine implements SyncService {
        final List<URI> connected = new ArrayList<>();
        volatile String resolver = "lww";
        /** An address connect never completes for, as the engine retrying it; listed by peers() with lastError. */
        volatile URI retrying;
        volatile String lastError;

        @Override
        public NodeId nodeId() {
            return new NodeId(0, 10);
        }

        @Override
        public SyncStatusDTO status() {
            SyncStatusDTO s = new SyncStatusDTO();
            s.nodeId = nodeId().toString();
            s.storeName = "db1";
            s.relays = List.of("memory");
            s.resolver = resolver;
            s.peers = peers();
            return s;
        }

        @Override
        public List<PeerStatusDTO> peers() {
            PeerStatusDTO p = new PeerStatusDTO();
            p.nodeId = new NodeId(0, 11).toString();
            p.connected = true;
            p.relay = "memory";
            if (retrying == null) {
                return List.of(p);
            }
            PeerStatusDTO unreached = new PeerStatusDTO();
            unreached.address = retrying.toString();
            unreached.lastError = lastError;
            return List.of(p, unreached);
        }

        @Override
        public CompletionStage<PeerStatusDTO> connect(URI address) {
            connected.add(address);
            return address.equals(retrying) ? new CompletableFuture<>() : CompletableFuture.completedFuture(peers().get(0));
        }

        @Override
        public boolean disconnect(URI address) {
            return connected.remove(address);
        }

        @Override
        public CompletionStage<PeerStatusDTO> syncNow(NodeId peer) {
            return CompletableFuture.completedFuture(peers().get(0));
        }

        @Override
        public LinkHandler accept(Link link) {
            throw new UnsupportedOperationException();
        }
    }
}
