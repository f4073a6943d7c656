package org.blazedb.store.impl;

import static org.junit.jupiter.api.Assertions.*;

import org.blazedb.api.Document;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;

/** The cache's own rules, step by step on one thread: each race of a reader and the writer replayed in order. */
class DocumentCacheTest {
    private static final NodeId NODE = new NodeId(1, 2);

    private static Document doc(String id, long version) {
        return new Document("c", id, MapValue.builder().put("v", version).build(), false, new Hlc(version + 1, 0, NODE), new OpId(NODE, version + 1));
    }

    @Test
    void aMissThenAnOfferThenAHitAreCounted() {
        DocumentCache cache = new DocumentCache(1 << 20);
        assertNull(cache.get("c", "a"));
        cache.offer(cache.ticket("c", "a"), doc("a", 1), 40);
        assertEquals(doc("a", 1), cache.get("c", "a"));
        assertNull(cache.get("other", "a"), "the collection is part of the key");
        DocumentCacheStats s = cache.stats();
        assertEquals(1, s.hits());
        assertEquals(2, s.misses());
        assertEquals(1, s.entries());
        assertTrue(s.bytes() >= 40);
    }

    /** The classic race: the reader reads the old record, the writer writes and invalidates, the reader offers the old value. */
    @Test
    void aValueReadBeforeAWriteIsNotCachedAfterIt() {
        DocumentCache cache = new DocumentCache(1 << 20);
        long ticket = cache.ticket("c", "a"); // reader: ticket, then reads version 1 from the map
        cache.beginWrite("c", "a");           // writer: version 2 into the map
        cache.endWrite("c", "a");
        cache.offer(ticket, doc("a", 1), 40); // reader: offers what it read
        assertNull(cache.get("c", "a"), "the stale version was refused");
        assertEquals(1, cache.stats().refused());
        cache.offer(cache.ticket("c", "a"), doc("a", 2), 40);
        assertEquals(doc("a", 2), cache.get("c", "a"), "a read after the write is cached");
    }

    @Test
    void nothingIsCachedWhileAWriteIsInProgress() {
        DocumentCache cache = new DocumentCache(1 << 20);
        long before = cache.ticket("c", "a");
        cache.beginWrite("c", "a");
        long during = cache.ticket("c", "a");
        assertEquals(DocumentCache.NO_TICKET, during);
        cache.offer(before, doc("a", 1), 40);
        cache.offer(during, doc("a", 2), 40);
        assertNull(cache.get("c", "a"));
        cache.endWrite("c", "a");
        assertNull(cache.get("c", "a"));
    }

    @Test
    void aWriteRemovesTheEntryAndItsBytes() {
        DocumentCache cache = new DocumentCache(1 << 20);
        cache.offer(cache.ticket("c", "a"), doc("a", 1), 40);
        cache.beginWrite("c", "a");
        assertNull(cache.get("c", "a"), "gone as soon as the write begins");
        cache.endWrite("c", "a");
        assertEquals(0, cache.stats().entries());
        assertEquals(0, cache.stats().bytes());
    }

    @Test
    void clearingEmptiesTheCacheAndRefusesOffersFromBeforeAndDuring() {
        DocumentCache cache = new DocumentCache(1 << 20);
        cache.offer(cache.ticket("c", "a"), doc("a", 1), 40);
        long before = cache.ticket("c", "b");
        cache.beginClear();
        assertNull(cache.get("c", "a"));
        long during = cache.ticket("c", "b");
        cache.offer(before, doc("b", 1), 40);
        cache.offer(during, doc("b", 1), 40);
        cache.endClear();
        assertNull(cache.get("c", "b"));
        assertEquals(0, cache.stats().bytes());
        cache.offer(cache.ticket("c", "b"), doc("b", 2), 40);
        assertEquals(doc("b", 2), cache.get("c", "b"), "caching resumes after the clear");
    }

    /** A write that threw between begin and end leaves its stripe odd; the recovery's clear repairs it. */
    @Test
    void aClearRestoresAStripeAWriteLeftOpen() {
        DocumentCache cache = new DocumentCache(1 << 20);
        cache.beginWrite("c", "a");
        cache.beginClear();
        cache.endClear();
        cache.offer(cache.ticket("c", "a"), doc("a", 1), 40);
        assertEquals(doc("a", 1), cache.get("c", "a"));
    }

    @Test
    void theEstimatedSizeStaysWithinTheBoundAndReferencedEntriesGetASecondChance() {
        int one = DocumentSizes.estimate(doc("d0", 0), 40);
        DocumentCache cache = new DocumentCache(10L * one);
        for (int i = 0; i < 10; i++) {
            cache.offer(cache.ticket("c", "d" + i), doc("d" + i, i), 40);
        }
        assertEquals(10, cache.stats().entries());
        assertNotNull(cache.get("c", "d0")); // marks it
        cache.offer(cache.ticket("c", "d10"), doc("d10", 10), 40);
        DocumentCacheStats s = cache.stats();
        assertTrue(s.bytes() <= 10L * one, "within the bound: " + s);
        assertEquals(1, s.evictions());
        assertNotNull(cache.get("c", "d0"), "the referenced entry was spared");
        for (int i = 11; i < 200; i++) {
            cache.offer(cache.ticket("c", "d" + i), doc("d" + i, i), 40);
            assertTrue(cache.stats().bytes() <= 10L * one);
        }
        assertTrue(cache.stats().entries() <= 10);
    }

    @Test
    void sizeZeroCachesNothing() {
        DocumentCache cache = new DocumentCache(0);
        assertFalse(cache.enabled());
        cache.offer(cache.ticket("c", "a"), doc("a", 1), 40);
        cache.beginWrite("c", "a");
        cache.endWrite("c", "a");
        assertNull(cache.get("c", "a"));
        assertEquals(new DocumentCacheStats(0, 0, 0, 0, 0, 0, 0), cache.stats());
    }

    @Test
    void theEstimateGrowsWithTheDocument() {
        int small = DocumentSizes.estimate(doc("a", 1), 10);
        Document big = new Document("c", "a", MapValue.builder().put("s", "x".repeat(10_000)).build(), false,
                new Hlc(1, 0, NODE), new OpId(NODE, 1));
        assertTrue(DocumentSizes.estimate(big, 10) > small + 10_000);
        assertTrue(DocumentSizes.estimate(doc("a", 1), 1_000_000) >= 1_000_000, "never below the record");
    }
}
