package org.blazedb.store.impl;

import org.blazedb.api.Operation;

/**
 * The operations most recently appended to the log, kept decoded for the change feeds, so that a
 * feed does not decode again what the commit that wrote it still holds (a received batch of
 * thousands of operations, say, which the sync engine's own feed would otherwise decode only to
 * find its peer already has them).
 *
 * <p>A slot is trusted only for the very record the log holds: a feed passes the record it read,
 * and an entry whose record is another array (a commit that failed and whose position was reused,
 * a file replaced by compaction, a page read back from disk) is not used, so the feed decodes as
 * it would without this. Slots are released once every feed has read past them, and the ring is
 * bounded, so a lagging feed costs at most {@link #CAPACITY} entries.
 *
 * <p>Written by the commit thread, read by feed threads without locks: entries are immutable, so
 * a reader sees either a complete entry or an older one, and checks which.
 */
final class RecentOperations {
    /** Slots in the ring: two commits of a sync session's half window (8 batches of 1,000) fit. */
    static final int CAPACITY = 1 << 14;
    private static final int MASK = CAPACITY - 1;

    private record Entry(long position, byte[] record, Operation op) { }

    private volatile Entry[] ring;
    /** Positions up to this one were released (feed threads, under {@code this}). */
    private long released;

    /** Commit thread: {@code op}, whose record is {@code record}, was appended at {@code position}. */
    void appended(long position, byte[] record, Operation op) {
        Entry[] r = ring;
        if (r == null) {
            r = new Entry[CAPACITY];
            ring = r;
        }
        r[(int) (position & MASK)] = new Entry(position, record, op);
    }

    /**
     * @param position a log position
     * @param record   the record the log holds there
     * @return its operation, or null when it is not at hand (decode the record)
     */
    Operation get(long position, byte[] record) {
        Entry[] r = ring;
        if (r == null) {
            return null;
        }
        Entry e = r[(int) (position & MASK)];
        return e != null && e.position == position && e.record == record ? e.op : null;
    }

    /** Every feed has read up to {@code position}: forget what lies there and before. */
    synchronized void releaseUpTo(long position) {
        Entry[] r = ring;
        if (r == null || position <= released) {
            return;
        }
        long from = Math.max(released + 1, position - CAPACITY + 1);
        for (long p = from; p <= position; p++) {
            int slot = (int) (p & MASK);
            Entry e = r[slot];
            if (e != null && e.position <= position) {
                r[slot] = null;
            }
        }
        released = position;
    }
}
