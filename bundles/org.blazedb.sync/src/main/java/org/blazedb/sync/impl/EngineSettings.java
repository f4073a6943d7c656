package org.blazedb.sync.impl;

/**
 * The engine's tunables, from its configuration.
 *
 * @param batchMaxOps          most operations per OPS frame
 * @param batchMaxBytes        most (estimated) encoded bytes per OPS frame
 * @param window               OPS frames this side accepts unacknowledged (announced in HELLO)
 * @param pingIntervalMillis   idle time after which a PING is sent
 * @param reconnectMinMillis   first reconnect delay; doubled after each failure
 * @param reconnectMaxMillis   longest reconnect delay
 * @param stateRecordMillis    how often acknowledged peer vectors are persisted while a session
 *                             is busy (always also at the end of each round and session)
 */
record EngineSettings(int batchMaxOps, int batchMaxBytes, int window, long pingIntervalMillis,
                      long reconnectMinMillis, long reconnectMaxMillis,
                      long stateRecordMillis) {
    /** Defaults suitable for tests and for the in-memory relay. */
    static final EngineSettings DEFAULTS = new EngineSettings(1000, 1 << 20, 16, 5_000, 100, 30_000, 200);

    /** Checks ranges. */
    EngineSettings {
        if (batchMaxOps < 1 || batchMaxBytes < 1024 || window < 1 || window > 1024) {
            throw new IllegalArgumentException("Invalid sync settings: batch " + batchMaxOps + " ops / "
                    + batchMaxBytes + " bytes, window " + window);
        }
        if (batchMaxBytes > MessageCodec.MAX_FRAME_BYTES - 64) {
            throw new IllegalArgumentException("batch.max.bytes must be below " + (MessageCodec.MAX_FRAME_BYTES - 64));
        }
        // a zero or negative delay would make a session ping, or a connection retry, in a busy loop
        if (pingIntervalMillis < 1 || stateRecordMillis < 1) {
            throw new IllegalArgumentException("Invalid sync settings: ping.interval.ms " + pingIntervalMillis
                    + " (and the state record interval, " + stateRecordMillis + ") must be at least 1");
        }
        if (reconnectMinMillis < 1 || reconnectMaxMillis < reconnectMinMillis) {
            throw new IllegalArgumentException("Invalid sync settings: reconnect.min.ms " + reconnectMinMillis
                    + " must be at least 1, and reconnect.max.ms " + reconnectMaxMillis + " at least reconnect.min.ms");
        }
    }
}
