package org.blazedb.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport TCP links use: Linux's native epoll where its library loads (in the live sync
 * benchmark its event loops used about a tenth less CPU than on the JDK selector; see
 * {@code docs/performance.md}), otherwise the JDK's NIO. The system property {@code blaze.net.transport=nio} keeps
 * NIO (to compare the two, or where the native library is unwanted). The epoll classes are only
 * touched once the library is known to be there: the {@code io.netty.channel.epoll} import is
 * optional, so a framework without the epoll bundles still runs on NIO.
 */
public final class NettyTransport {
    /** Property naming the transport: {@code nio}, or anything else for epoll where available. */
    public static final String PROPERTY = "blaze.net.transport";
    private static final boolean EPOLL = !"nio".equals(System.getProperty(PROPERTY)) && epollLoads();

    private NettyTransport() {
    }

    private static boolean epollLoads() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError missing) {
            return false; // the epoll bundle (or its classes) is not installed
        }
    }

    /** @return whether links use native epoll */
    public static boolean epoll() {
        return EPOLL;
    }

    /** @return the I/O handler for event loops of TCP links */
    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** @return the channel class of outbound TCP connections */
    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** @return the channel class of TCP listeners */
    public static Class<? extends ServerSocketChannel> serverSocketChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** @return "epoll" or "nio", and why not epoll */
    public static String describe() {
        if (EPOLL) {
            return "epoll";
        }
        if ("nio".equals(System.getProperty(PROPERTY))) {
            return "nio (" + PROPERTY + "=nio)";
        }
        try {
            return "nio (epoll unavailable: " + Epoll.unavailabilityCause() + ")";
        } catch (LinkageError missing) {
            return "nio (the epoll classes are not installed)";
        }
    }
}
