package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.blazedb.api.Change;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Store;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.sync.Replica;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.value.MapValue;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A relay departs in the middle of a large sync: two stores in one framework, joined by the
 * in-memory relay, the first sending 60,000 operations in small batches under a small window;
 * the relay's bundle is stopped while they flow and started again. Sessions on it end, the engine
 * reconnects on its own, sends exactly what the receiver lacks (from the state it announces, not
 * from the beginning), and both stores end identical with every operation applied exactly once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RelayDepartureIT extends BlazeTestSupport {
    private static final int TOTAL = 60_000;
    private static final int WRITE_BATCH = 1_000;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void aRelayStoppedMidSyncEndsItsSessionsAndSyncResumesWithNothingLostOrAppliedTwice() throws Exception {
        SyncSupport support = new SyncSupport(context, configAdmin);
        // small batches and window: the transfer takes long enough to be cut in the middle
        Map<String, Object> slow = Map.of("batch.max.ops", 100, "window", 2);
        support.createStoreWithEngine("rd2", slow);
        support.createStoreWithEngine("rd1", slow);
        Store rd1 = support.store("rd1");
        Store rd2 = support.store("rd2");
        Replica replica1 = support.replica("rd1");
        SyncService engine1 = support.engine("rd1");
        SyncService engine2 = support.engine("rd2");
        NodeId origin = rd1.nodeId();
        for (int from = 0; from < TOTAL; from += WRITE_BATCH) {
            WriteBatch batch = new WriteBatch();
            for (int i = from; i < from + WRITE_BATCH; i++) {
                batch.put("bulk", "d" + i, MapValue.builder().put("i", i).put("text", "document number " + i).build());
            }
            rd1.write(batch);
        }
        assertEquals(TOTAL, rd1.version().get(origin));

        engine1.connect(java.net.URI.create("memory:rd2"));
        awaitCondition("the transfer is under way", () -> rd2.version().get(origin) >= 2_000);
        Bundle relay = bundle("org.blazedb.relay.memory");
        relay.stop();
        awaitCondition("the sessions on the departed relay ended on both sides",
                () -> engine1.peers().stream().noneMatch(p -> p.connected) && engine2.peers().stream().noneMatch(p -> p.connected));
        long held = rd2.version().get(origin);
        long sentBefore = peer(engine1, rd2).operationsSent;
        long persisted = replica1.peerVersion(rd2.nodeId()).get(origin);
        assertTrue("the relay left in the middle of the transfer: rd2 held " + held + " of " + TOTAL, held < TOTAL);
        assertTrue("the acknowledged state was persisted: " + persisted + " of " + held + " held",
                persisted > 0 && persisted <= held);
        assertTrue("no session while the relay is gone: " + engine1.peers(), engine1.peers().stream().noneMatch(p -> p.connected));

        relay.start();
        awaitCondition("the engine reconnected and rd2 holds every operation", () -> rd2.version().equals(rd1.version()));
        awaitCondition("rd2 acknowledged everything", () -> peer(engine1, rd2).pendingOutbound == 0);
        PeerStatusDTO sender = peer(engine1, rd2);
        assertTrue("reconnected on the memory relay", sender.connected && "memory".equals(sender.relay));
        assertEquals("after the departure exactly what rd2 lacked was sent, from the state it announced",
                TOTAL - held, sender.operationsSent - sentBefore);
        assertEquals("every operation applied exactly once", TOTAL, peer(engine2, rd1).operationsReceived);
        System.out.printf("RelayDepartureIT: relay stopped with rd2 holding %d of %d (persisted peer state %d, sent %d);"
                + " after it came back %d were sent%n", held, TOTAL, persisted, sentBefore, sender.operationsSent - sentBefore);

        Set<OpId> logged = new HashSet<>();
        long entries = 0;
        try (Cursor<Change> log = rd2.log().read(0)) {
            while (log.hasNext()) {
                OpId id = log.next().operation().id();
                assertTrue("logged once: " + id, logged.add(id));
                assertEquals(origin, id.origin());
                entries++;
            }
        }
        assertEquals("rd2's log holds each operation once", TOTAL, entries);
        for (int i = 0; i < TOTAL; i++) {
            Document a = rd1.collection("bulk").get("d" + i).orElseThrow();
            Document b = rd2.collection("bulk").get("d" + i).orElseThrow(() -> new AssertionError("lost on rd2"));
            assertEquals(a.fields(), b.fields());
        }
    }

    private static PeerStatusDTO peer(SyncService engine, Store peerStore) {
        return SyncIT.peer(engine, peerStore);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(bsn + " is not installed");
    }
}
