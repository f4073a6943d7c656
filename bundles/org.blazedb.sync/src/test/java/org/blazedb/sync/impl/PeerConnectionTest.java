package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How long a peer connection waits before reconnecting after consecutive failures. */
class PeerConnectionTest {
    @Test
    void theReconnectDelayDoublesPerFailureUpToTheLongest() {
        long[] delays = new long[12];
        for (int failures = 1; failures <= delays.length; failures++) {
            delays[failures - 1] = PeerConnection.reconnectDelay(100, 30_000, failures);
        }
        assertArrayEquals(new long[] {100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000}, delays);
    }

    @Test
    void aLargeShortestDelayNeverOverflowsIntoAShorterOrNegativeOne() {
        long shortest = 1L << 50; // about 35,700 years: doubled 13 times it passes Long.MAX_VALUE
        long previous = shortest;
        for (int failures = 1; failures <= 1_000; failures++) {
            long delay = PeerConnection.reconnectDelay(shortest, Long.MAX_VALUE, failures);
            assertTrue(delay >= previous, "after " + failures + " failures: " + delay + " ms, after one fewer " + previous + " ms");
            previous = delay;
        }
        assertEquals(Long.MAX_VALUE, previous, "the longest, once doubling would pass it");
        assertEquals(1L << 52, PeerConnection.reconnectDelay(shortest, 1L << 52, 30), "a longest below the overflow bounds it too");
    }
}
