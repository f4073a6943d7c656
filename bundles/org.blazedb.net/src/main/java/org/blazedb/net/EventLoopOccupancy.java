package org.blazedb.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each event loop of one client group serves right now, so that a link can
 * tell whether its event loop serves it alone: then the loop may run work for that link that waits
 * briefly (a commit), since nothing else is held up ({@link org.blazedb.api.sync.DeliveryThread#EXCLUSIVE}).
 *
 * <p>The count is only right if every channel of the group is counted: the group's owner (a relay)
 * hands one instance to every {@link ClientInitializer} it builds on that group, and uses the
 * group for nothing else. Netty offers no public count of a loop's channels, hence this one.
 * A channel is counted from its registration ({@link #add}, on its event loop) until it has
 * closed, from connecting on, so a loop that is still opening a second connection (its TLS
 * handshake) already counts it.
 */
public final class EventLoopOccupancy {
    private final Map<EventLoop, Integer> channels = new ConcurrentHashMap<>();

    /** @param channel a channel of the group, just registered; counted until it closes */
    void add(Channel channel) {
        EventLoop loop = channel.eventLoop();
        channels.merge(loop, 1, Integer::sum);
        channel.closeFuture().addListener(f -> channels.computeIfPresent(loop, (l, n) -> n == 1 ? null : n - 1));
    }

    /**
     * @param channel a channel counted here
     * @return whether its event loop serves that channel and no other
     */
    boolean servesAlone(Channel channel) {
        return channels.getOrDefault(channel.eventLoop(), 0) == 1;
    }

    /**
     * @param channel a channel of the group
     * @return how many channels of the group its event loop serves now
     */
    public int channelsOnLoopOf(Channel channel) {
        return channels.getOrDefault(channel.eventLoop(), 0);
    }
}
