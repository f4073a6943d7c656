package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.resolver.lww.impl.LastWriterWinsResolver;
import org.junit.jupiter.api.Test;

/**
 * A peer the server granted read-only access: it receives every operation, sends none, and if it
 * sends some anyway they are refused with PERMISSION_DENIED and nothing of them is written.
 */
class ReadOnlyPeerTest {
    private static final EngineSettings SMALL = new EngineSettings(100, 64 * 1024, 4, 5_000, 100, 5_000, 200);
    private static final long WAIT = 120_000;

    private final SimCluster cluster = new SimCluster(7, SMALL);
    private final SimCluster.Node server = cluster.add("server", new LastWriterWinsResolver());
    private final SimCluster.Node client = cluster.add("client", new LastWriterWinsResolver());

    @Test
    void aReadOnlyClientReceivesEverythingAndSendsNothing() {
        cluster.relay.readOnlyServerSide = true;
        cluster.relay.readOnlyClientSide = true;
        for (int i = 0; i < 250; i++) {
            server.replica.put("c", "s" + i, SyncEngineTest.doc("i", "" + i));
        }
        client.replica.put("c", "mine", SyncEngineTest.doc("v", "local"));
        client.connect(server);
        cluster.scheduler.runUntil("the client's first round completes", () -> peer(client, server).lastSyncMillis > 0, WAIT);
        assertEquals(251, client.replica.logSize(), "the client holds the server's 250 operations and its own");

        server.replica.put("c", "live", SyncEngineTest.doc("v", "pushed"));
        cluster.scheduler.runUntil("a live write reaches the client", () -> client.replica.logSize() == 252, WAIT);
        client.replica.put("c", "mine2", SyncEngineTest.doc("v", "local"));
        cluster.scheduler.runFor(5_000);

        assertEquals(251, server.replica.logSize(), "nothing of the client's was sent to the server");
        assertEquals(0, peer(client, server).operationsSent);
        assertEquals(2, peer(client, server).pendingOutbound, "the client's own writes stay pending, visibly");
        assertEquals(0, peer(client, server).errors, "no error: the client knows it only receives");
        assertTrue(peer(client, server).connected);
    }

    @Test
    void operationsFromAReadOnlyPeerAreRefusedAndNothingIsWritten() {
        cluster.relay.readOnlyServerSide = true;
        cluster.relay.readOnlyClientSide = false; // a client that ignores what it was granted
        server.replica.put("c", "s", SyncEngineTest.doc("v", "server"));
        client.replica.put("c", "forged", SyncEngineTest.doc("v", "client"));
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(new MessageFormat(r.getMessage()).format(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger sessions = Logger.getLogger(Session.class.getName());
        Level quietness = sessions.getLevel();
        sessions.setLevel(Level.WARNING); // whatever ConvergenceTest, in the same JVM, made its parent
        sessions.addHandler(recorder);
        try {
            client.connect(server);
            cluster.scheduler.runUntil("the server refused the client's batch", () -> peer(client, server).errors > 0, WAIT);
        } finally {
            sessions.removeHandler(recorder);
            sessions.setLevel(quietness);
        }

        assertEquals(1, server.replica.logSize(), "nothing of the refused batch was written");
        assertEquals(null, server.replica.snapshot().get("c/forged"));
        String refusal = "Sync session with " + client.replica.nodeId() + " failed: E407 PERMISSION_DENIED";
        assertTrue(logged.stream().anyMatch(m -> m.startsWith(refusal)), "the server logs the refusal: " + logged);
        assertTrue(peer(client, server).lastError.contains("read-only access"), peer(client, server).lastError);
        // The server does not list the client once its session has ended: it persisted nothing of
        // it (SyncEngine forgets such peers, whose node ids are only claimed), so the log says why.
        assertEquals(0, peer(server, client).operationsReceived);
    }

    private static PeerStatusDTO peer(SimCluster.Node x, SimCluster.Node y) {
        return x.engine.peerStatus(y.replica.nodeId());
    }
}
