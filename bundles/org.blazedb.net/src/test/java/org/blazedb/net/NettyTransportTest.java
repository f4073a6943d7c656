package org.blazedb.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    @Test
    void linksUseNativeEpollOnLinuxWhereTheLibraryIsInstalled() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native library is installed for Linux x86_64 only");
        assumeTrue(System.getProperty(NettyTransport.PROPERTY) == null, "a transport is forced");
        assertTrue(NettyTransport.epoll(), NettyTransport.describe());
        assertEquals("epoll", NettyTransport.describe());
        assertEquals(EpollSocketChannel.class, NettyTransport.socketChannel());
        assertEquals(EpollServerSocketChannel.class, NettyTransport.serverSocketChannel());
    }
}
