package org.blazedb.integration;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/**
 * The shared Pax Exam configuration: a Felix framework with every bundle the integration module
 * lists as "provided" (SCR, Config Admin, Metatype and the BlazeDB bundles), copied to
 * {@code target/bundles} by the build. Works offline from the local Maven repository.
 */
public abstract class BlazeTestSupport {
    /** How long tests wait for an asynchronous condition before failing. */
    protected static final long WAIT_MILLIS = 20_000;

    @Configuration
    public Option[] config() throws IOException {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        options.add(systemProperty("blaze.bundles.dir").value(bundlesDir().toString()));
        for (Path jar : bundleJars()) {
            // a fragment (the native epoll library) attaches to its host and cannot be started
            options.add(bundle(jar.toUri().toString()).start(!isFragment(jar)));
        }
        options.addAll(List.of(extraOptions()));
        return options(options.toArray(Option[]::new));
    }

    /** @return further options a test class needs, none by default */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** @return the folder holding the bundles under test */
    static Path bundlesDir() {
        String dir = System.getProperty("blaze.bundles.dir");
        if (dir == null) {
            throw new IllegalStateException("System property blaze.bundles.dir is not set: run through 'mvn verify'");
        }
        return new File(dir).toPath();
    }

    /** @param jar a bundle @return whether it is a fragment (its manifest names a Fragment-Host) */
    static boolean isFragment(Path jar) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }

    /** @return the jars of the bundles under test, in name order */
    static List<Path> bundleJars() throws IOException {
        try (Stream<Path> files = Files.list(bundlesDir())) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /**
     * Waits until a condition holds, for at most {@link #WAIT_MILLIS}.
     *
     * @param what      what is awaited, for the failure message
     * @param condition the condition
     */
    protected static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + WAIT_MILLIS + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
