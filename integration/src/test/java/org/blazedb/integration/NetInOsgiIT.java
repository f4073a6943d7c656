package org.blazedb.integration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Pids;
import org.blazedb.api.sync.Link;
import org.blazedb.api.sync.LinkHandler;
import org.blazedb.api.sync.Relay;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Netty, TLS 1.3 and the handshake work inside Felix: BlazeServer and TcpRelay, configured through
 * Config Admin, authenticate each other on 127.0.0.1; with no sync engine installed, the server then
 * closes the link with UNAVAILABLE, which the relay's handler receives.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetInOsgiIT extends BlazeTestSupport {
    private static final String SECRET = "osgi-token-3c1e9a";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Test
    public void tcpRelayAuthenticatesToBlazeServerInsideTheFramework() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        configure(Pids.SERVER, "port", port, ".token", SECRET, "auth.failure.delay.ms", 0L);
        configure(Pids.RELAY_TCP, ".token", SECRET, "peer.id", "it-client");
        int listening = port;
        awaitCondition("BlazeServer listening on 127.0.0.1:" + port, () -> accepts(listening));

        // The relay restarts to take its new configuration (DS publishes the configuration as service
        // properties): wait for the configured instance, not the one that may still be going away.
        String configuredRelay = "(&(" + Relay.SCHEME + "=tcp)(peer.id=it-client))";
        awaitCondition("TcpRelay registered with its configuration", () -> relays(configuredRelay).size() == 1);
        Collection<ServiceReference<Relay>> refs = relays(configuredRelay);
        assertEquals(1, refs.size());
        Relay relay = context.getService(refs.iterator().next());
        // the native epoll library loads from its fragment bundle inside Felix (Linux x86_64)
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertTrue(relay.describe(), relay.describe().startsWith("TcpRelay: TCP (epoll)"));
        }
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        LinkHandler handler = new LinkHandler() {
            @Override
            public void onFrame(Link link, ByteBuffer frame) {
            }

            @Override
            public void onWritabilityChanged(Link link) {
            }

            @Override
            public void onClosed(Link link, Throwable cause) {
                closed.complete(cause);
            }
        };
        Link link = relay.connect(URI.create("tcp://127.0.0.1:" + port), handler).toCompletableFuture()
                .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertNotNull(link);
        assertEquals("tcp", link.relay());
        Throwable cause = closed.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(String.valueOf(cause), cause instanceof BlazeException);
        assertEquals(ErrorCode.UNAVAILABLE, ((BlazeException) cause).code());

        // Both components run with the token: no service in the registry carries it in a property.
        for (ServiceReference<?> ref : context.getAllServiceReferences(null, null)) {
            for (String key : ref.getPropertyKeys()) {
                assertFalse("service property '" + key + "' of " + ref + " holds the token", holdsSecret(ref.getProperty(key)));
            }
        }
    }

    private static boolean holdsSecret(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.stream(array).anyMatch(NetInOsgiIT::holdsSecret);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().anyMatch(NetInOsgiIT::holdsSecret);
        }
        return String.valueOf(value).contains(SECRET);
    }

    private void configure(String pid, Object... keyValues) throws IOException {
        Configuration config = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        config.update(props);
    }

    private Collection<ServiceReference<Relay>> relays(String filter) {
        try {
            return context.getServiceReferences(Relay.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
