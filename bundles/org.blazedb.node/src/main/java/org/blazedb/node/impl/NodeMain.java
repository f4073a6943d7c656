package org.blazedb.node.impl;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.felix.service.command.CommandProcessor;
import org.blazedb.api.Pids;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The main thread of a node started by the bnd launcher ({@code ./blaze run}): the launcher calls
 * a {@code Callable<Integer>} registered with {@code main.thread=true} once every bundle has been
 * started, and exits with the value it returns. In other containers (Karaf, Pax Exam) nothing
 * calls it.
 *
 * <p>It announces on standard error that the node is up; then, in script mode (framework property
 * {@link #SCRIPT_MODE}, set by {@code ./blaze run} when standard input is not a terminal), runs
 * standard input as shell commands and returns 0 if all succeeded, 1 otherwise (the launcher then
 * stops the framework); otherwise it waits until the framework stops.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class NodeMain implements Callable<Integer> {
    /** Framework property that turns script mode on. */
    public static final String SCRIPT_MODE = "blaze.script.stdin";

    private final BundleContext context;
    private final CommandProcessor processor;

    @Activate
    public NodeMain(BundleContext context, @Reference CommandProcessor processor) {
        this.context = context;
        this.processor = processor;
    }

    @Override
    public Integer call() throws Exception {
        System.err.println("blaze: node started, data folder " + context.getProperty(Pids.DATA_FOLDER_PROPERTY));
        if (Boolean.parseBoolean(context.getProperty(SCRIPT_MODE))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            // The process's own streams, not System.out/err: Gogo replaces those with streams that
            // forward to the running command's session, so a session built on them would forward to
            // itself, and a command that prints would overflow the stack.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            int failures = new StdinScript(processor).run(in, out, err);
            return failures == 0 ? 0 : 1;
        }
        Framework framework = (Framework) context.getBundle(0);
        FrameworkEvent event;
        do {
            event = framework.waitForStop(0);
        } while (event.getType() == FrameworkEvent.WAIT_TIMEDOUT);
        return 0;
    }
}
