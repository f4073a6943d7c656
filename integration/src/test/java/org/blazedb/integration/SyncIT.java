package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import javax.inject.Inject;
import org.blazedb.api.Document;
import org.blazedb.api.Patch;
import org.blazedb.api.Store;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Two stores in one framework, each with a sync engine configured through Config Admin, joined by
 * the in-memory relay: writes on either side reach the other, and after the sync bundle restarts
 * the next round sends only the operations written since (from the persisted sync state).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SyncIT extends BlazeTestSupport {
    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void writesReplicateBothWaysAndARestartSendsOnlyNewOperations() throws Exception {
        SyncSupport support = new SyncSupport(context, configAdmin);
        support.createStoreWithEngine("db2");
        support.createStoreWithEngine("db1", "memory:db2");
        Store db1 = support.store("db1");
        Store db2 = support.store("db2");

        db1.collection("users").put("ada", MapValue.builder().put("name", "Ada").build());
        awaitCondition("the insert in db1 appears in db2", () -> live(db2, "users", "ada").isPresent());
        assertEquals(Value.of("Ada"), live(db2, "users", "ada").get().fields().entries().get("name"));

        db2.collection("users").patch("ada", Patch.builder().set("born", Value.of(1815)).build());
        awaitCondition("the update in db2 appears in db1", () -> live(db1, "users", "ada")
                .map(d -> d.fields().entries().containsKey("born")).orElse(false));
        db2.collection("users").put("bob", MapValue.builder().put("name", "Bob").build());
        db1.collection("users").delete("ada");
        awaitCondition("the delete in db1 reaches db2", () -> live(db2, "users", "ada").isEmpty());
        awaitCondition("the insert in db2 reaches db1", () -> live(db1, "users", "bob").isPresent());
        assertTrue(db2.collection("users").getIncludingDeleted("ada").orElseThrow().deleted());
        awaitCondition("both stores hold the same operations", () -> db1.version().equals(db2.version()));

        Bundle sync = FrameworkUtil.getBundle(support.engine("db1").getClass());
        assertEquals("org.blazedb.sync", sync.getSymbolicName());
        sync.stop();
        for (int i = 0; i < 3; i++) {
            db1.collection("notes").put("n" + i, MapValue.builder().put("i", i).build());
        }
        assertTrue("no engine while the sync bundle is stopped", support.findEngine("db1").isEmpty());
        sync.start();
        SyncService engine = support.engine("db1");
        awaitCondition("the new operations reach db2", () -> live(db2, "notes", "n2").isPresent());
        awaitCondition("db2 acknowledged them", () -> peer(engine, db2).pendingOutbound == 0);
        PeerStatusDTO status = peer(engine, db2);
        assertEquals("the restarted engine sent exactly the 3 new operations", 3, status.operationsSent);
        assertTrue(status.connected);
        assertEquals("memory", status.relay);
        assertTrue(status.lastSyncMillis > 0);
    }

    static PeerStatusDTO peer(SyncService engine, Store peerStore) {
        return engine.peers().stream().filter(p -> peerStore.nodeId().toString().equals(p.nodeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for " + peerStore.name() + " in " + engine.peers()));
    }

    static Optional<Document> live(Store store, String collection, String id) {
        return store.collection(collection).get(id);
    }
}
