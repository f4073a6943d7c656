package org.blazedb.node.impl;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.blazedb.api.Pids;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Turns the launcher's network options ({@code ./blaze run --port … --token-file …}), passed as
 * framework properties, into the Config Admin configurations of the server ({@value Pids#SERVER})
 * and the TCP relay ({@value Pids#RELAY_TCP}). Only the options given are written, and only when
 * they differ from what is stored (an update restarts the component); options not given leave
 * the stored configuration alone, so shell or file changes persist across restarts.
 *
 * <p>The token itself never appears here: only the path of the file holding it, which the server
 * and the relay read when they start. This component runs when the node bundle starts, before the
 * server and relay bundles start (bundles start in name order), so they normally start with it.
 */
@Component(immediate = true)
public final class NodeNetworkConfiguration {
    /** Framework property: the server's TCP port. */
    public static final String PORT = "blaze.server.port";
    /** Framework property: the server's bind address. */
    public static final String BIND = "blaze.server.bind";
    /** Framework property: a file whose first line is the shared token (server and relay). */
    public static final String TOKEN_FILE = "blaze.token.file";
    /** Framework property: the id this node authenticates as when it connects. */
    public static final String PEER_ID = "blaze.peer.id";
    /**
     * Framework property: comma-separated {@code ID=TOKENFILE} entries, the peers the server lets
     * receive but not send, each with a token of its own (the file's first line; the server checks
     * the entries when it starts).
     */
    public static final String READ_ONLY_PEERS = "blaze.server.read.only.peers";

    /**
     * @param context the bundle context, for framework properties
     * @param admin   Config Admin
     * @throws IOException if Config Admin cannot store a configuration
     */
    @Activate
    public NodeNetworkConfiguration(BundleContext context, @Reference ConfigurationAdmin admin) throws IOException {
        Function<String, String> property = name -> {
            String v = context.getProperty(name);
            return v == null || v.isBlank() ? null : v.strip();
        };
        Map<String, Object> server = new TreeMap<>();
        Map<String, Object> relay = new TreeMap<>();
        if (property.apply(PORT) != null) {
            server.put("port", parsePort(property.apply(PORT)));
        }
        if (property.apply(BIND) != null) {
            server.put("bind.address", property.apply(BIND));
        }
        if (property.apply(TOKEN_FILE) != null) {
            server.put("token.file", property.apply(TOKEN_FILE));
            relay.put("token.file", property.apply(TOKEN_FILE));
        }
        if (property.apply(READ_ONLY_PEERS) != null) {
            server.put("read.only.peers", Arrays.stream(property.apply(READ_ONLY_PEERS).split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new));
        }
        if (property.apply(PEER_ID) != null) {
            relay.put("peer.id", property.apply(PEER_ID));
        }
        merge(admin.getConfiguration(Pids.SERVER, "?"), server, server.containsKey("token.file"));
        merge(admin.getConfiguration(Pids.RELAY_TCP, "?"), relay, relay.containsKey("token.file"));
    }

    static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(PORT + " must be a TCP port from 0 to 65535, not '" + value + "'");
    }

    /**
     * Writes {@code wanted} over the stored properties when something changes. A token file given
     * on the command line replaces a stored token: the component refuses to start with both.
     */
    private static void merge(Configuration config, Map<String, Object> wanted, boolean dropToken) throws IOException {
        if (wanted.isEmpty()) {
            return;
        }
        Dictionary<String, Object> stored = config.getProperties();
        Dictionary<String, Object> updated = new Hashtable<>();
        if (stored != null) {
            for (String key : List.copyOf(java.util.Collections.list(stored.keys()))) {
                updated.put(key, stored.get(key));
            }
        }
        boolean changed = stored == null;
        // ".token" is where a token is configured; "token" (refused now: DS would publish it) may
        // remain from an older configuration
        if (dropToken && (updated.remove(".token") != null | updated.remove("token") != null)) {
            changed = true;
        }
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            if (!sameValue(updated.get(e.getKey()), e.getValue())) {
                updated.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (changed) {
            config.update(updated);
        }
    }

    private static boolean sameValue(Object stored, Object wanted) {
        if (stored instanceof String[] a && wanted instanceof String[] b) {
            return Arrays.equals(a, b);
        }
        return Objects.equals(stored, wanted);
    }
}
