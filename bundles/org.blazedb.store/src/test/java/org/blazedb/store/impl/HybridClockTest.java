package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.junit.jupiter.api.Test;

class HybridClockTest {
    private final NodeId node = NodeId.random();
    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final HybridClock clock = new HybridClock(node, wall::get, null);

    @Test
    void followsTheWallClockAndCountsWithinAMillisecond() {
        Hlc a = clock.now();
        Hlc b = clock.now();
        assertEquals(new Hlc(1_000_000, 0, node), a);
        assertEquals(new Hlc(1_000_000, 1, node), b);
        wall.set(1_000_005);
        assertEquals(new Hlc(1_000_005, 0, node), clock.now());
    }

    @Test
    void aWallClockGoingBackwardsNeverMakesStampsGoBackwards() {
        Hlc before = clock.now();
        wall.addAndGet(-600_000); // ten minutes back
        Hlc after = clock.now();
        assertTrue(after.isAfter(before));
        assertEquals(before.wallTime(), after.wallTime());
    }

    @Test
    void receivingAStampMovesTheClockPastIt() {
        Hlc remote = new Hlc(wall.get() + 600_000, 7, NodeId.random()); // ten minutes ahead
        clock.observe(remote);
        Hlc next = clock.now();
        assertTrue(next.isAfter(remote));
        assertEquals(remote.wallTime(), next.wallTime());
        clock.observe(new Hlc(1, 0, NodeId.random())); // an old stamp changes nothing backwards
        assertTrue(clock.now().isAfter(next));
    }

    @Test
    void restartsFromThePersistedState() {
        Hlc last = new Hlc(wall.get() + 50, 3, node);
        HybridClock restarted = new HybridClock(node, wall::get, last);
        assertTrue(restarted.now().isAfter(last));
    }
}
