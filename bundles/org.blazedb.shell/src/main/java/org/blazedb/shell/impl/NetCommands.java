package org.blazedb.shell.impl;

import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.blazedb.net.ServerEndpoint;
import org.blazedb.net.ServerPins;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The network command of the Gogo shell, scope {@code blaze}: {@code identity} shows what a peer
 * operator needs to pin this node and what this node has pinned.
 */
@Component(service = NetCommands.class, property = {"osgi.command.scope=blaze", "osgi.command.function=identity"})
public class NetCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServerEndpoint server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServerPins client;

    @Descriptor("shows this node's identity (certificate SHA-256 fingerprint, listen address) and the servers it has pinned")
    public String identity() {
        StringBuilder out = new StringBuilder();
        ServerEndpoint s = server;
        if (s == null) {
            out.append("server       not running (see the log; PID org.blazedb.server)\n");
        } else {
            out.append("fingerprint  ").append(s.fingerprint()).append('\n');
            out.append("listening    tcp://").append(s.address().getAddress().getHostAddress()).append(':')
                    .append(s.address().getPort())
                    .append(s.acceptsPeers() ? "" : "  (no token configured: every peer is refused)")
                    .append("  connections ").append(s.openConnections()).append('\n');
        }
        ServerPins c = client;
        if (c == null) {
            out.append("tcp relay    not running: this node connects to no server");
            return out.toString();
        }
        out.append("peer id      ").append(c.peerId()).append('\n');
        Map<String, String> pins = c.pins();
        if (pins.isEmpty()) {
            out.append("pinned       none yet (a server is pinned when first connected to, or configured)");
        } else {
            out.append("pinned servers:");
            pins.forEach((address, fp) -> out.append(String.format("%n  %-22s %s  %s", address, fp,
                    c.isConfigured(address) ? "configured" : "trusted on first use")));
        }
        return out.toString();
    }
}
