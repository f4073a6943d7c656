package org.blazedb.integration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.blazedb.api.Pids;
import org.blazedb.api.Store;
import org.blazedb.api.sync.Relay;
import org.blazedb.net.ServerEndpoint;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Configures BlazeServer and TcpRelay inside the test framework through Config Admin, finds the
 * instances that run a given configuration, and watches what the network parts leave behind:
 * event-loop threads, the listening port, and warnings in the log.
 */
final class NetSupport {
    /** Netty's default name for the threads of a {@code MultiThreadIoEventLoopGroup}, which both components use. */
    static final String EVENT_LOOP_THREAD = "multiThreadIoEventLoopGroup-";
    /** The token the server and the relay share in these tests. */
    static final String TOKEN = "net-departure-token-71c2";

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    /** Bumped per configuration, published by DS as a service property: tells a new instance from the one going. */
    private int generation;

    NetSupport(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /**
     * Configures the server to hand its links to the engine of {@code store}, and waits for that
     * instance to listen.
     *
     * @param store     the store whose engine serves inbound links
     * @param port      the port (0: any free one)
     * @param keyValues further configuration properties
     * @return the running server
     */
    ServerEndpoint configureServer(String store, int port, Object... keyValues) throws IOException, InterruptedException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("port", port);
        props.put(".token", TOKEN);
        props.put("auth.failure.delay.ms", 0L);
        // two engines run in the framework: the server must hand links to the receiving one
        props.put("sync.target", "(" + Store.NAME + "=" + store + ")");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        String mark = "it.generation";
        int g = ++generation;
        props.put(mark, g);
        configAdmin.getConfiguration(Pids.SERVER, "?").update(props);
        return awaitService(ServerEndpoint.class, "(" + mark + "=" + g + ")");
    }

    /** Configures the relay with the shared token and waits for that instance to be registered. */
    Relay configureRelay(String peerId) throws IOException, InterruptedException {
        return configureRelay(peerId, TOKEN);
    }

    /** Configures the relay with {@code token} and waits for that instance to be registered. */
    Relay configureRelay(String peerId, String token) throws IOException, InterruptedException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(".token", token);
        props.put("peer.id", peerId);
        String mark = "it.generation";
        int g = ++generation;
        props.put(mark, g);
        configAdmin.getConfiguration(Pids.RELAY_TCP, "?").update(props);
        return awaitService(Relay.class, "(&(" + Relay.SCHEME + "=tcp)(peer.id=" + peerId + ")(" + mark + "=" + g + "))");
    }

    /** Configures the server on {@code port} with the shared token, waiting for nothing. */
    void configureServerOnly(int port) throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("port", port);
        props.put(".token", TOKEN);
        configAdmin.getConfiguration(Pids.SERVER, "?").update(props);
    }

    /** Waits until Declarative Services reports the server's activation failed. @return its failure */
    String awaitServerFailure() throws InterruptedException {
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class, null);
        String[] failure = new String[1];
        BlazeTestSupport.awaitCondition("the server's activation failed", () -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (Pids.SERVER.equals(d.name)) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                            failure[0] = c.failure;
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        return failure[0];
    }

    /** @return the server running now, if any */
    ServerEndpoint server() {
        return find(ServerEndpoint.class, null);
    }

    /** Waits for a running server (any configuration). */
    ServerEndpoint awaitServer() throws InterruptedException {
        return awaitService(ServerEndpoint.class, null);
    }

    <T> T awaitService(Class<T> type, String filter) throws InterruptedException {
        Object[] found = new Object[1];
        BlazeTestSupport.awaitCondition(type.getSimpleName() + " " + filter, () -> {
            found[0] = find(type, filter);
            return found[0] != null;
        });
        return type.cast(found[0]);
    }

    private <T> T find(Class<T> type, String filter) {
        try {
            Collection<ServiceReference<T>> refs = context.getServiceReferences(type, filter);
            for (ServiceReference<T> ref : refs) {
                T service = context.getService(ref);
                if (service != null) {
                    return service;
                }
            }
            return null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(bsn + " is not installed");
    }

    /** @return the names of the live event-loop threads of BlazeServer and TcpRelay (and any other such group) */
    static Set<String> eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(EVENT_LOOP_THREAD)).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** @return whether nothing listens on the loopback port any more (a plain socket can take it) */
    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Collects warnings and errors logged through java.util.logging, where the BlazeDB bundles'
     * loggers (JUL and System.Logger) and Netty's end up in this framework. Close to stop.
     */
    static final class LogWatch extends Handler implements AutoCloseable {
        private final List<LogRecord> records = new ArrayList<>();
        private final Logger root = Logger.getLogger("");

        LogWatch() {
            setLevel(Level.WARNING);
            root.addHandler(this);
            // the watch must see what a bundle logs, or an empty watch proves nothing
            Logger.getLogger(LogWatch.class.getName()).warning("log watch started");
            synchronized (this) {
                if (records.size() != 1) {
                    throw new AssertionError("the log watch does not see warnings logged through java.util.logging");
                }
                records.clear();
            }
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        /** @return the records collected so far, one line each (with the class of a thrown exception) */
        synchronized List<String> lines() {
            return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": "
                    + new java.util.logging.SimpleFormatter().formatMessage(r)
                    + (r.getThrown() == null ? "" : " [" + r.getThrown() + "]")).toList();
        }

        /** @return how many records carried a stack trace */
        synchronized long withStackTraces() {
            return records.stream().filter(r -> r.getThrown() != null).count();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
        }
    }
}
