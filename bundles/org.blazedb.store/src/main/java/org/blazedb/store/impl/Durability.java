package org.blazedb.store.impl;

/** When a write is on disk before it returns. */
public enum Durability {
    /**
     * Every write is committed and fsynced before it returns; concurrent writers share one fsync
     * (group commit). Nothing acknowledged is lost, even on power failure.
     */
    SYNC,
    /**
     * Every write is committed to the operating system before it returns, and the file is fsynced at
     * most every {@code relaxed.sync.millis}. Killing the process loses nothing acknowledged; a power
     * failure or operating-system crash can lose the writes of the last interval. Listeners and peers
     * see a write only once it is fsynced, so nothing lost this way was ever replicated.
     */
    RELAXED
}
