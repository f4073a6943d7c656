package org.blazedb.node.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's network options as the node parses them. */
class LauncherOptionsTest {
    @Test
    void portsAreCheckedWithAClearMessage() {
        assertEquals(7421, NodeNetworkConfiguration.parsePort("7421"));
        assertEquals(0, NodeNetworkConfiguration.parsePort("0"));
        for (String bad : List.of("-1", "65536", "http", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeNetworkConfiguration.parsePort(bad));
            assertTrue(e.getMessage().contains(NodeNetworkConfiguration.PORT), e.getMessage());
        }
    }

    @Test
    void peersAreCommaSeparatedAddressesWithAScheme() {
        assertEquals(List.of(URI.create("tcp://127.0.0.1:7421"), URI.create("tcp://h:7422")),
                NodePeers.parse(" tcp://127.0.0.1:7421 ,, tcp://h:7422"));
        assertEquals(List.of(), NodePeers.parse(null));
        assertThrows(IllegalArgumentException.class, () -> NodePeers.parse("127.0.0.1:7421"));
    }
}
