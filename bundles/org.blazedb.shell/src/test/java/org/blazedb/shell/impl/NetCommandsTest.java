package org.blazedb.shell.impl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.net.ServerEndpoint;
import org.blazedb.net.ServerPins;
import org.junit.jupiter.api.Test;

class NetCommandsTest {
    static final String OWN = "a".repeat(64);
    static final String OTHER = "b".repeat(64);

    @Test
    void identityShowsFingerprintAddressAndPins() {
        NetCommands commands = new NetCommands();
        commands.server = endpoint(true);
        commands.client = pins(Map.of("127.0.0.1:7421", OTHER, "10.0.0.2:7420", "c".repeat(64)), "127.0.0.1:7421");
        String out = commands.identity();
        assertTrue(out.contains("fingerprint  " + OWN), out);
        assertTrue(out.contains("listening    tcp://127.0.0.1:7422  connections 3"), out);
        assertTrue(out.contains("peer id      node-x"), out);
        assertTrue(out.matches("(?s).*127\\.0\\.0\\.1:7421\\s+" + OTHER + "\\s+configured.*"), out);
        assertTrue(out.matches("(?s).*10\\.0\\.0\\.2:7420\\s+c{64}\\s+trusted on first use.*"), out);
    }

    @Test
    void saysWhatIsMissing() {
        NetCommands commands = new NetCommands();
        String out = commands.identity();
        assertTrue(out.contains("server       not running"), out);
        assertTrue(out.contains("tcp relay    not running"), out);
        commands.server = endpoint(false);
        commands.client = pins(Map.of(), "");
        out = commands.identity();
        assertTrue(out.contains("no token configured: every peer is refused"), out);
        assertTrue(out.contains("none yet"), out);
    }

    private static ServerEndpoint endpoint(boolean token) {
        return new ServerEndpoint() {
            @Override
            public InetSocketAddress address() {
                return new InetSocketAddress("127.0.0.1", 7422);
            }

            @Override
            public String fingerprint() {
                return OWN;
            }

            @Override
            public boolean acceptsPeers() {
                return token;
            }

            @Override
            public int openConnections() {
                return 3;
            }
        };
    }

    private static ServerPins pins(Map<String, String> pins, String configured) {
        return new ServerPins() {
            @Override
            public String peerId() {
                return "node-x";
            }

            @Override
            public Map<String, String> pins() {
                return new TreeMap<>(pins);
            }

            @Override
            public boolean isConfigured(String address) {
                return address.equals(configured);
            }
        };
    }
}
