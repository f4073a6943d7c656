package org.blazedb.node.impl;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Prints every error entered in the OSGi Log Service on the node's standard error, one line each.
 *
 * <p>Why: Declarative Services reports a component that fails to activate (the server's port
 * already in use, an unreadable or empty token file, a read-only peer refused, a {@code --peer}
 * address that cannot be read) only to the Log Service, which keeps entries in memory and prints
 * nothing. Without this an operator saw the node start and run without its server, and the only
 * hint was {@code blaze:identity} saying "server not running (see the log)".
 *
 * <p>Errors logged before this component started (the node bundle starts before the server, store
 * and sync bundles, but after Config Admin and DS) are printed from the Log Service's history
 * first; the entries' sequence numbers keep any from being printed twice.
 */
@Component(immediate = true)
public final class NodeErrorConsole implements LogListener {
    private final LogReaderService reader;
    private final PrintStream err;
    private final Object lock = new Object();
    /** The highest sequence number handled: history and listener may both deliver an entry. */
    private long handled = -1;

    /** @param reader the Log Service's reader, whose errors are printed from now on */
    @Activate
    public NodeErrorConsole(@Reference LogReaderService reader) {
        // The process's own stream, not System.err: Gogo replaces that with one that forwards to
        // the session of the command running on the calling thread.
        this(reader, new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    NodeErrorConsole(LogReaderService reader, PrintStream err) {
        this.reader = reader;
        this.err = err;
        synchronized (lock) {
            reader.addLogListener(this);
            List<LogEntry> history = new ArrayList<>(Collections.list(reader.getLog()));
            history.sort(Comparator.comparingLong(LogEntry::getSequence));
            history.forEach(this::logged);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (lock) {
            if (entry.getSequence() <= handled) {
                return;
            }
            handled = entry.getSequence();
            if (entry.getLogLevel() == LogLevel.ERROR) {
                err.println(describe(entry));
            }
        }
    }

    /**
     * @param entry an error entry
     * @return one line: the bundle, the reason (see {@link #reason}), then the entry's own message
     *         (which component failed and how)
     */
    static String describe(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String source = bundle == null || bundle.getSymbolicName() == null ? "the framework" : bundle.getSymbolicName();
        Throwable reason = reason(entry.getException());
        String what = reason == null ? "" : (reason.getMessage() != null ? reason.getMessage() : reason.toString()) + " [";
        return "blaze: error in " + source + ": " + what + entry.getMessage() + (reason == null ? "" : "]");
    }

    /**
     * @param failure an exception, or null
     * @return the first exception of its chain that says something of its own: DS wraps what a
     *         component threw in an {@code InvocationTargetException} without a message, and the
     *         component's own exception (the server's "Cannot listen on …; configure another port")
     *         usually says more than the one it wraps (the socket's "Address already in use")
     */
    static Throwable reason(Throwable failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null && t.getCause() != t && onlyWraps(t)) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean onlyWraps(Throwable t) {
        String own = t.getMessage();
        String inner = t.getCause().getMessage();
        // ": null": the Log Service stands in for another bundle's exception with "class: message"
        return own == null || own.equals("null") || own.endsWith(": null") || (inner != null && own.endsWith(inner));
    }
}
