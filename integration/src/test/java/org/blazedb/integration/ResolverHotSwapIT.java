package org.blazedb.integration;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.blazedb.api.Document;
import org.blazedb.api.Store;
import org.blazedb.api.sync.ConflictListener;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Conflict resolvers swap at runtime: with only {@code lww} running a conflict keeps the later
 * write whole; starting the {@code merge} bundle makes it decide the next conflict (both writers'
 * fields kept); stopping it falls back to {@code lww}. Each resolution reaches a
 * {@link ConflictListener} naming the resolver.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResolverHotSwapIT extends BlazeTestSupport {
    private static final URI DB2 = URI.create("memory:hs2");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void lwwThenMergeThenLwwAgain() throws Exception {
        List<ConflictEventDTO> events = Collections.synchronizedList(new ArrayList<>());
        ServiceRegistration<ConflictListener> listener = context.registerService(ConflictListener.class, events::add, null);
        Bundle merge = bundle("org.blazedb.resolver.merge");
        merge.stop();
        SyncSupport support = new SyncSupport(context, configAdmin);
        support.createStoreWithEngine("hs2");
        support.createStoreWithEngine("hs1", DB2.toString());
        Store hs1 = support.store("hs1");
        Store hs2 = support.store("hs2");
        SyncService engine = support.engine("hs1");
        awaitCondition("lww is the resolver", () -> "lww".equals(engine.status().resolver));

        assertEquals("lww keeps the later write whole", Set.of("b"), conflict(engine, hs1, hs2, "d1", events));
        assertEquals(Set.of("lww"), resolvers(events));

        merge.start();
        awaitCondition("merge takes over", () -> "merge".equals(engine.status().resolver));
        events.clear();
        assertEquals("merge keeps both writers' fields", Set.of("a", "b"), conflict(engine, hs1, hs2, "d2", events));
        assertEquals(Set.of("merge"), resolvers(events));

        merge.stop();
        awaitCondition("lww takes back over", () -> "lww".equals(engine.status().resolver));
        events.clear();
        assertEquals("lww again", Set.of("b"), conflict(engine, hs1, hs2, "d3", events));
        assertEquals(Set.of("lww"), resolvers(events));
        listener.unregister();
    }

    /**
     * Disconnects, writes the same document on both sides ({@code a} first on hs1, then {@code b}
     * on hs2), reconnects, and returns the fields both stores agree on.
     */
    static Set<String> conflict(SyncService engine, Store hs1, Store hs2, String id, List<ConflictEventDTO> events)
            throws InterruptedException {
        return conflict(engine, hs1, hs2, DB2, id, events);
    }

    static Set<String> conflict(SyncService engine, Store hs1, Store hs2, URI hs2Address, String id, List<ConflictEventDTO> events)
            throws InterruptedException {
        awaitCondition("in sync before the conflict", () -> hs1.version().equals(hs2.version()));
        engine.disconnect(hs2Address);
        awaitCondition("disconnected", () -> engine.peers().stream().noneMatch(p -> p.connected));
        hs1.collection("docs").put(id, MapValue.builder().put("a", Value.of(1)).build());
        long written = System.currentTimeMillis();
        awaitCondition("a later millisecond", () -> System.currentTimeMillis() > written + 1);
        hs2.collection("docs").put(id, MapValue.builder().put("b", Value.of(2)).build());
        engine.connect(hs2Address);
        try {
            awaitCondition("in sync after the conflict", () -> hs1.version().equals(hs2.version())
                    && hs1.collection("docs").get(id).map(Document::fields).equals(hs2.collection("docs").get(id).map(Document::fields)));
        } catch (AssertionError e) {
            String state = "hs1 " + hs1.version() + " " + hs1.collection("docs").get(id) + ", hs2 " + hs2.version() + " "
                    + hs2.collection("docs").get(id) + ", events " + events;
            System.out.println("ResolverHotSwapIT: not in sync: " + state);
            throw new AssertionError(e.getMessage() + ": " + state);
        }
        awaitCondition("the resolution was reported", () -> !events.isEmpty());
        return hs1.collection("docs").get(id).orElseThrow().fields().entries().keySet();
    }

    static Set<String> resolvers(List<ConflictEventDTO> events) {
        synchronized (events) {
            return events.stream().map(e -> e.resolver).collect(Collectors.toSet());
        }
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
