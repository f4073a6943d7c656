package org.blazedb.store.impl;

import java.util.function.LongSupplier;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): stamps follow the wall
 * clock when it moves forward, and a logical counter orders events when it stands still or moves
 * backwards, so stamps issued here always increase. Receiving a stamp moves the clock past it, so an
 * operation written after another was seen always carries a greater stamp. Thread-safe.
 */
final class HybridClock {
    private final NodeId node;
    private final LongSupplier wallClock;
    private long wall;
    private int counter;

    /**
     * @param node      the node whose stamps this clock issues
     * @param wallClock milliseconds since the epoch
     * @param last      the last stamp issued before a restart, or null for a new node
     */
    HybridClock(NodeId node, LongSupplier wallClock, Hlc last) {
        this.node = node;
        this.wallClock = wallClock;
        if (last != null) {
            wall = last.wallTime();
            counter = last.counter();
        }
    }

    /** @return a new stamp, greater than every stamp issued or observed before */
    synchronized Hlc now() {
        long physical = wallClock.getAsLong();
        if (physical > wall) {
            wall = physical;
            counter = 0;
        } else {
            tick();
        }
        return new Hlc(wall, counter, node);
    }

    /** @param remote a stamp received from another node; later stamps issued here order after it */
    synchronized void observe(Hlc remote) {
        long physical = wallClock.getAsLong();
        long max = Math.max(Math.max(wall, remote.wallTime()), physical);
        if (max == wall && max == remote.wallTime()) {
            counter = Math.max(counter, remote.counter());
            tick();
        } else if (max == wall) {
            tick();
        } else if (max == remote.wallTime()) {
            wall = max;
            counter = remote.counter();
            tick();
        } else {
            wall = max;
            counter = 0;
        }
    }

    /** @return the clock's current state as a stamp, for persisting; not a new stamp */
    synchronized Hlc last() {
        return new Hlc(wall, counter, node);
    }

    private void tick() {
        if (counter == Integer.MAX_VALUE) {
            // A counter overflow borrows the next millisecond rather than wrapping.
            wall++;
            counter = 0;
        } else {
            counter++;
        }
    }
}
