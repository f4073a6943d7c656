package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
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

    /** Answers like an engine with one connected peer. */
    private static final class FakeEngine implements SyncService {
        final List<URI> connected = new ArrayList<>();

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
            s.resolver = "lww";
            s.peers = peers();
            return s;
        }

        @Override
        public List<PeerStatusDTO> peers() {
            PeerStatusDTO p = new PeerStatusDTO();
            p.nodeId = new NodeId(0, 11).toString();
            p.connected = true;
            p.relay = "memory";
            return List.of(p);
        }

        @Override
        public CompletionStage<PeerStatusDTO> connect(URI address) {
            connected.add(address);
            return CompletableFuture.completedFuture(peers().get(0));
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
