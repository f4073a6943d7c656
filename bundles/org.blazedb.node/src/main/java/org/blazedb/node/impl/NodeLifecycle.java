package org.blazedb.node.impl;

import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework in an orderly way when the JVM is asked to exit (SIGTERM, SIGINT), so that
 * every component's deactivation runs (stores close, sockets shut). The bnd launcher that runs a
 * node does not stop the framework on a signal by itself.
 */
@Component(immediate = true)
public class NodeLifecycle {
    /** How long the hook waits for the framework to stop before letting the JVM go. */
    static final long STOP_TIMEOUT_SECONDS = 30;

    private final Framework framework;
    private final Thread hook;

    @Activate
    public NodeLifecycle(BundleContext context) {
        this.framework = (Framework) context.getBundle(0);
        this.hook = new Thread(this::stopFramework, "blaze-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM is exiting and this hook is running or has run: nothing to undo.
        }
    }

    private void stopFramework() {
        try {
            System.err.println("blaze: stopping the node");
            framework.stop();
            FrameworkEvent event = framework.waitForStop(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("blaze: the framework did not stop within " + STOP_TIMEOUT_SECONDS + " s");
            } else {
                System.err.println("blaze: node stopped");
            }
        } catch (BundleException e) {
            System.err.println("blaze: stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
