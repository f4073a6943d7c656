package org.blazedb.sync.impl;

import java.util.concurrent.atomic.AtomicLong;
import org.blazedb.api.NodeId;
import org.blazedb.api.VersionVector;

/**
 * What the engine knows and counts about one peer since it started. Written on the engine thread,
 * read by {@code status()} from any thread.
 */
final class PeerStats {
    final NodeId peer;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile long lastSyncMillis;
    volatile String lastError;
    volatile String address;
    volatile String relay;
    volatile int openSessions;
    /** The newest vector the peer announced or acknowledged holding (null before any). */
    volatile VersionVector peerHas;

    PeerStats(NodeId peer) {
        this.peer = peer;
    }

    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }
}
