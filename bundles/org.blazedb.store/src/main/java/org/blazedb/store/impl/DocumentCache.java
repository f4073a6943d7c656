package org.blazedb.store.impl;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.blazedb.api.Document;

/**
 * Decoded, immutable {@link Document}s in front of the store's document maps, so that a repeated
 * point read skips the B-tree descent and the decoding of the record. Bounded by an estimated size
 * in bytes ({@link DocumentSizes}); evicts with the second-chance ("clock") policy: a hit marks its
 * entry, and the sweep spares a marked entry once.
 *
 * <h2>Why it is exactly as correct as reading the map</h2>
 *
 * The store's single writer calls {@link #beginWrite} before it changes a document in its map and
 * {@link #endWrite} after. Each document hashes to one of {@value #STRIPES} stripes whose stamp is
 * odd while a write to one of its documents is in progress; {@code beginWrite} makes it odd and
 * removes the entry, {@code endWrite} makes it even again. A reader that misses takes a
 * {@linkplain #ticket ticket} (the stamp) <em>before</em> it reads the map, and {@link #offer}
 * inserts what it decoded only if the stamp still equals that even ticket, checked inside the
 * map's atomic {@code compute} for that key. So an insert either happens before the writer's
 * removal of the key (and is removed by it) or sees the changed stamp and is dropped: an entry is
 * never older than the map, and while a write is in progress no entry exists for its document (a
 * reader then reads the map, as it would without the cache). {@link #clear} (the store reopens its
 * file after a failed commit) makes every stamp odd for the duration, so a value read from the
 * discarded file cannot be put back.
 *
 * <p>Written here rather than taken from a caching library: the insert has to check the stamp
 * atomically with the map's per-key lock, which needs the map itself; the policy is a few lines.
 */
final class DocumentCache {
    /** Stamp stripes; a power of two. More stripes mean fewer inserts refused for a write to a neighbour. */
    static final int STRIPES = 4096;
    /** A ticket that never matches: taken while a write to the stripe was in progress, or caching is off. */
    static final long NO_TICKET = -1;

    private final long maxBytes;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLongArray stamps = new AtomicLongArray(STRIPES);
    private final AtomicLong bytes = new AtomicLong();
    private final UnfencedCounter hits = new UnfencedCounter();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder refused = new LongAdder();
    /** Held by the one thread that sweeps; others go on and leave the sweep to it. */
    private final ReentrantLock sweeping = new ReentrantLock();
    /** The clock's hand, guarded by {@link #sweeping}. */
    private Iterator<Entry> hand;

    /** @param maxBytes the most bytes the cached documents may take, estimated; 0 turns caching off */
    DocumentCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("The document cache size cannot be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A document's cache key. */
    private record Key(String collection, String id) {
        int stripe() {
            int h = hashCode();
            return (h ^ (h >>> 16)) & (STRIPES - 1);
        }
    }

    private static final class Entry {
        final Key key;
        final Document document;
        final int bytes;
        /** Set by a hit, cleared by the sweep; a racy flag is enough for a replacement policy. */
        volatile boolean referenced;

        Entry(Key key, Document document, int bytes) {
            this.key = key;
            this.document = document;
            this.bytes = bytes;
        }
    }

    /** @return whether the cache holds anything at all */
    boolean enabled() {
        return maxBytes > 0;
    }

    /**
     * @param collection the collection
     * @param id         the document id
     * @return the cached document (possibly a tombstone), or null on a miss
     */
    Document get(String collection, String id) {
        if (maxBytes == 0) {
            return null;
        }
        Entry e = entries.get(new Key(collection, id));
        if (e == null) {
            misses.increment();
            return null;
        }
        if (!e.referenced) {
            e.referenced = true; // written only when unset: hits on a hot entry do not bounce its cache line
        }
        hits.increment();
        return e.document;
    }

    /**
     * Takes the ticket for a read of the map that may be {@linkplain #offer offered} afterwards;
     * call it before reading the map.
     *
     * @return the ticket
     */
    long ticket(String collection, String id) {
        if (maxBytes == 0) {
            return NO_TICKET;
        }
        long stamp = stamps.get(new Key(collection, id).stripe());
        return (stamp & 1) == 0 ? stamp : NO_TICKET;
    }

    /**
     * Caches a document read from the map, unless a write to its stripe began since the ticket was
     * taken.
     *
     * @param ticket      from {@link #ticket}, taken before the map was read
     * @param document    what the map held, decoded
     * @param recordBytes the size of its record, for the estimate
     */
    void offer(long ticket, Document document, int recordBytes) {
        if (maxBytes == 0) {
            return;
        }
        if (ticket == NO_TICKET) {
            refused.increment();
            return;
        }
        Key key = new Key(document.collection(), document.id());
        int stripe = key.stripe();
        Entry mine = new Entry(key, document, DocumentSizes.estimate(document, recordBytes));
        Entry now = entries.compute(key, (k, old) -> {
            if (old != null) {
                return old; // an entry is never older than the map: keep it
            }
            if (stamps.get(stripe) != ticket) {
                refused.increment();
                return null;
            }
            return mine;
        });
        if (now == mine && bytes.addAndGet(mine.bytes) > maxBytes) {
            sweep();
        }
    }

    /** Before the writer changes a document in the map: no entry for it from now until {@link #endWrite}. */
    void beginWrite(String collection, String id) {
        if (maxBytes == 0) {
            return;
        }
        Key key = new Key(collection, id);
        int stripe = key.stripe();
        stamps.set(stripe, stamps.get(stripe) + 1); // one writer: no lost update
        drop(entries.remove(key));
    }

    /** After the writer changed a document in the map: readers may cache it again. */
    void endWrite(String collection, String id) {
        if (maxBytes == 0) {
            return;
        }
        int stripe = new Key(collection, id).stripe();
        stamps.set(stripe, stamps.get(stripe) + 1);
    }

    /**
     * Empties the cache and refuses every insert until {@link #endClear}; by the writer, before the
     * store's file is replaced by one whose content may differ.
     */
    void beginClear() {
        if (maxBytes == 0) {
            return;
        }
        for (int i = 0; i < STRIPES; i++) {
            long stamp = stamps.get(i);
            stamps.set(i, (stamp & 1) == 0 ? stamp + 1 : stamp + 2); // odd, and changed even if odd before
        }
        for (Entry e : entries.values()) {
            if (entries.remove(e.key, e)) {
                drop(e);
            }
        }
    }

    /** Ends {@link #beginClear}: readers may cache again, from the new file. */
    void endClear() {
        if (maxBytes == 0) {
            return;
        }
        for (int i = 0; i < STRIPES; i++) {
            stamps.set(i, stamps.get(i) + 1);
        }
    }

    private void drop(Entry e) {
        if (e != null) {
            bytes.addAndGet(-e.bytes);
        }
    }

    /** Evicts unreferenced entries until the estimate is under the bound again. */
    private void sweep() {
        if (!sweeping.tryLock()) {
            return; // another thread sweeps; the bound is exceeded by at most the inserts racing with it
        }
        try {
            // Two full turns of the hand clear every mark and evict; the bound stops runaway loops.
            long budget = 2L * entries.size() + 2;
            while (bytes.get() > maxBytes && budget-- > 0) {
                if (hand == null || !hand.hasNext()) {
                    hand = entries.values().iterator();
                    if (!hand.hasNext()) {
                        return;
                    }
                }
                Entry e = hand.next();
                if (e.referenced) {
                    e.referenced = false;
                } else if (entries.remove(e.key, e)) {
                    drop(e);
                    evictions.increment();
                }
            }
        } finally {
            sweeping.unlock();
        }
    }

    /** @return the counters and sizes now */
    DocumentCacheStats stats() {
        return new DocumentCacheStats(maxBytes, bytes.get(), entries.size(), hits.sum(), misses.sum(), evictions.sum(), refused.sum());
    }
}
