package org.blazedb.sync.impl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Settings that would make the engine busy-loop or never back off are refused when configured. */
class EngineSettingsTest {
    @Test
    void theDefaultsAndEqualReconnectBoundsAreAccepted() {
        assertDoesNotThrow(() -> new EngineSettings(1000, 1 << 20, 16, 5_000, 100, 30_000, 200));
        assertDoesNotThrow(() -> new EngineSettings(1000, 1 << 20, 16, 1, 1, 1, 1));
    }

    @Test
    void aReconnectDelayBelowOneMillisecondOrAMaximumBelowTheMinimumIsRefused() {
        for (long[] bounds : new long[][] {{0, 30_000}, {-5, 30_000}, {1_000, 999}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EngineSettings(1000, 1 << 20, 16, 5_000, bounds[0], bounds[1], 200));
            assertTrue(e.getMessage().contains("reconnect.min.ms " + bounds[0]), e.getMessage());
        }
    }

    @Test
    void aPingIntervalBelowOneMillisecondIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EngineSettings(1000, 1 << 20, 16, 0, 100, 30_000, 200));
        assertTrue(e.getMessage().contains("ping.interval.ms 0"), e.getMessage());
    }
}
