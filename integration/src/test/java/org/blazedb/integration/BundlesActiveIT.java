package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.blazedb.api.NodeId;
import org.blazedb.api.Store;
import org.blazedb.api.sync.SyncService;
import org.blazedb.api.sync.dto.PeerStatusDTO;
import org.blazedb.api.value.Value;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** Every bundle under test is installed and ACTIVE (a fragment RESOLVED), and the API packages are wired to the API bundle. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesActiveIT extends BlazeTestSupport {
    @Inject
    private BundleContext context;

    @Test
    public void everyBundleUnderTestIsActive() throws Exception {
        Set<String> expected = new TreeSet<>();
        Set<String> fragments = new TreeSet<>();
        for (Path jar : bundleJars()) {
            expected.add(symbolicName(jar));
            if (isFragment(jar)) {
                fragments.add(symbolicName(jar));
            }
        }
        assertTrue("the build copied the API bundle under test", expected.contains("org.blazedb.api"));
        for (String bsn : expected) {
            Bundle bundle = find(bsn);
            assertNotNull("bundle " + bsn + " is installed", bundle);
            // a fragment is never started: attached to its host, it is RESOLVED
            assertEquals("state of " + bsn, fragments.contains(bsn) ? Bundle.RESOLVED : Bundle.ACTIVE, bundle.getState());
        }
        Set<String> blazeInstalled = Arrays.stream(context.getBundles())
                .map(Bundle::getSymbolicName)
                .filter(n -> n.startsWith("org.blazedb."))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> blazeExpected = expected.stream().filter(n -> n.startsWith("org.blazedb."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(blazeExpected, blazeInstalled);
    }

    @Test
    public void apiPackagesAreExportedAndWiredToThisTest() {
        Bundle api = find("org.blazedb.api");
        for (Class<?> type : List.of(Store.class, Value.class, SyncService.class, PeerStatusDTO.class)) {
            assertEquals(type + " comes from the API bundle", api, FrameworkUtil.getBundle(type));
        }
        BundleWiring apiWiring = api.adapt(BundleWiring.class);
        List<BundleWire> provided = apiWiring.getProvidedWires("osgi.wiring.package");
        Set<String> wiredPackages = provided.stream()
                .map(w -> (String) w.getCapability().getAttributes().get("osgi.wiring.package"))
                .collect(Collectors.toSet());
        assertTrue(wiredPackages.toString(), wiredPackages.containsAll(
                Set.of("org.blazedb.api", "org.blazedb.api.value", "org.blazedb.api.sync", "org.blazedb.api.sync.dto")));
        assertFalse("the probe is among the API's consumers", provided.stream()
                .noneMatch(w -> w.getRequirer().getBundle().equals(FrameworkUtil.getBundle(getClass()))));
        Version version = (Version) apiWiring.getCapabilities("osgi.wiring.package").get(0).getAttributes().get("version");
        assertTrue("API packages carry a version", version.compareTo(new Version(0, 1, 0)) >= 0);
        assertNotNull(NodeId.random());
    }

    private Bundle find(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElse(null);
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new AssertionError(jar + " is not a bundle");
            }
            return bsn.split(";")[0].trim();
        }
    }
}
