package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.ConflictListener;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code blaze:resolver} in the Gogo shell of a real framework: naming a resolver writes the
 * engine's configuration, the running engine (the same service, its sessions kept) resolves the
 * next conflict with it, the choice survives a restart of the sync bundle, and {@code --auto} hands
 * the decision back to the highest-ranked resolver, whose merge then reaches the replica that still
 * runs lww (a decision is replicated as an operation). A name no running resolver has is refused.
 * Other changed settings restart the engine in place, keeping the connections made in the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResolverCommandIT extends BlazeTestSupport {
    private static final URI RC2 = URI.create("memory:rc2");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor processor;

    @Test
    public void resolverCommandSwitchesTheRunningEngineAndTheChoiceSurvivesARestart() throws Exception {
        List<ConflictEventDTO> events = Collections.synchronizedList(new ArrayList<>());
        ServiceRegistration<ConflictListener> listener = context.registerService(ConflictListener.class, events::add, null);
        SyncSupport support = new SyncSupport(context, configAdmin);
        support.createStoreWithEngine("rc2");
        support.createStoreWithEngine("rc1", RC2.toString());
        Store rc1 = support.store("rc1");
        Store rc2 = support.store("rc2");
        SyncService engine = support.engine("rc1");
        awaitCondition("unconfigured, the highest-ranked resolver (merge) decides", () -> "merge".equals(engine.status().resolver));

        String out = run("blaze:resolver lww rc1");
        assertTrue(out, out.contains("resolved by lww") && out.contains("kept across restarts"));
        assertEquals("lww", configuration("rc1").getProperties().get("resolver"));
        assertSame("the engine took the choice up without being replaced", engine, support.engine("rc1"));
        // rc2 too: a merge decision taken on rc2 would be written as an operation and win on rc1 as well
        out = run("blaze:resolver lww rc2");
        assertTrue(out, out.contains("store rc2: new conflicts are resolved by lww"));
        awaitCondition("still connected to rc2", () -> engine.peers().stream().anyMatch(p -> p.connected));
        assertEquals("lww keeps the later put whole", Set.of("b"), ResolverHotSwapIT.conflict(engine, rc1, rc2, RC2, "d1", events));
        assertEquals(Set.of("lww"), ResolverHotSwapIT.resolvers(events));
        String shown = run("blaze:resolver");
        assertTrue(shown, shown.matches("(?s).*rc1\\s+lww\\s+configured: lww.*"));

        Bundle sync = FrameworkUtil.getBundle(engine.getClass());
        sync.stop();
        sync.start();
        SyncService restarted = support.engine("rc1");
        awaitCondition("after a restart the configured lww still decides, though merge ranks higher",
                () -> "lww".equals(restarted.status().resolver));

        out = run("blaze:resolver --auto rc1");
        assertTrue(out, out.contains("resolved by merge") && out.contains("highest-ranked"));
        assertNull(configuration("rc1").getProperties().get("resolver"));
        awaitCondition("connected again", () -> restarted.peers().stream().anyMatch(p -> p.connected));
        events.clear();
        assertEquals("merge keeps both writers' fields", Set.of("a", "b"),
                ResolverHotSwapIT.conflict(restarted, rc1, rc2, RC2, "d2", events));
        assertTrue(ResolverHotSwapIT.resolvers(events).contains("merge"));

        try {
            run("blaze:resolver mrege rc1");
            fail("an unknown resolver name is refused");
        } catch (Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("No resolver named 'mrege' is running"));
        }
        assertNull("nothing written for a refused name", configuration("rc1").getProperties().get("resolver"));
        listener.unregister();
    }

    /**
     * A configuration change other than the resolver (here the window and the batch size) restarts
     * the engine inside the same component: the service stays registered, reconnects, and writes
     * still flow, with nothing sent twice.
     */
    @Test
    public void otherSettingsChangedAtRuntimeRestartTheEngineInPlace() throws Exception {
        SyncSupport support = new SyncSupport(context, configAdmin);
        support.createStoreWithEngine("rc4");
        support.createStoreWithEngine("rc3", "memory:rc4");
        Store rc3 = support.store("rc3");
        Store rc4 = support.store("rc4");
        SyncService engine = support.engine("rc3");
        rc3.collection("docs").put("before", org.blazedb.api.value.MapValue.builder().put("n", 1).build());
        awaitCondition("synced before the change", () -> rc4.collection("docs").get("before").isPresent());

        Configuration config = configuration("rc3");
        java.util.Dictionary<String, Object> props = config.getProperties();
        props.put("window", 4);
        props.put("batch.max.ops", 50);
        config.update(props);
        // the old engine sent rc4 one operation; the restarted one starts counting from zero
        awaitCondition("the engine restarted and reconnected", () -> {
            org.blazedb.api.sync.dto.PeerStatusDTO p = SyncIT.peer(engine, rc4);
            return p.connected && p.operationsSent == 0;
        });
        assertSame("the same service, not a new component", engine, support.engine("rc3"));
        for (int i = 0; i < 200; i++) {
            rc3.collection("docs").put("after-" + i, org.blazedb.api.value.MapValue.builder().put("n", i).build());
        }
        awaitCondition("writes after the change reach rc4", () -> rc4.version().equals(rc3.version()));
        org.blazedb.api.sync.dto.PeerStatusDTO peer = SyncIT.peer(engine, rc4);
        // counters start with the engine: 201 would mean no restart, more would mean a resend
        assertEquals("the restarted engine sent exactly the 200 new operations", 200, peer.operationsSent);
    }

    @Test
    public void aConnectionMadeInTheShellSurvivesARestartForChangedSettings() throws Exception {
        SyncSupport support = new SyncSupport(context, configAdmin);
        support.createStoreWithEngine("rc5");
        support.createStoreWithEngine("rc6");
        Store rc5 = support.store("rc5");
        Store rc6 = support.store("rc6");
        SyncService engine = support.engine("rc5");
        // not in the configuration: made at runtime, as an operator (or a node's --peer) does
        String connected = run("blaze:connect memory:rc6 rc5");
        assertTrue(connected, connected.startsWith("connected to "));
        rc5.collection("docs").put("before", org.blazedb.api.value.MapValue.builder().put("n", 1).build());
        awaitCondition("synced before the change", () -> rc6.collection("docs").get("before").isPresent());

        Configuration config = configuration("rc5");
        java.util.Dictionary<String, Object> props = config.getProperties();
        props.put("window", 8);
        config.update(props);
        // the old engine sent rc6 one operation; the restarted one starts counting from zero, and
        // is connected only if it took over the connection made in the shell
        awaitCondition("the engine restarted and reconnected", () -> {
            org.blazedb.api.sync.dto.PeerStatusDTO p = SyncIT.peer(engine, rc6);
            return p.connected && p.operationsSent == 0;
        });
        // both ways over the carried connection: rc6 has none of its own to rc5
        rc5.collection("docs").put("from-rc5", org.blazedb.api.value.MapValue.builder().put("n", 5).build());
        rc6.collection("docs").put("from-rc6", org.blazedb.api.value.MapValue.builder().put("n", 6).build());
        awaitCondition("writes on both sides after the restart reach the other", () -> rc5.version().equals(rc6.version())
                && rc6.collection("docs").get("from-rc5").isPresent() && rc5.collection("docs").get("from-rc6").isPresent());
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, "UTF-8");
        CommandSession session = processor.createSession(System.in, print, print);
        try {
            Object result = session.execute(command);
            return String.valueOf(result) + out.toString("UTF-8");
        } finally {
            session.close();
        }
    }

    private Configuration configuration(String store) throws Exception {
        Configuration[] found = configAdmin.listConfigurations(
                "(&(service.factoryPid=" + Pids.SYNC + ")(" + Store.NAME + "=" + store + "))");
        assertEquals(1, found.length);
        return found[0];
    }
}
