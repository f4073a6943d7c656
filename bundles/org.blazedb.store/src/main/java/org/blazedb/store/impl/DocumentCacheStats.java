package org.blazedb.store.impl;

import org.blazedb.api.dto.DocumentCacheDTO;

/**
 * A snapshot of a store's {@link DocumentCache} counters.
 *
 * @param maxBytes  the configured bound, 0 when caching is off
 * @param bytes     the estimated size of the cached documents
 * @param entries   how many documents are cached
 * @param hits      reads answered from the cache
 * @param misses    reads that went to the document map
 * @param evictions entries evicted to stay within the bound
 * @param refused   documents read from the map but not cached because a write to them (or to a
 *                  document sharing their stripe) was in progress or happened meanwhile
 */
public record DocumentCacheStats(long maxBytes, long bytes, long entries, long hits, long misses, long evictions, long refused) {
    /** @return hits as a share of all cached-path reads, 0 to 1 (0 before any read) */
    public double hitRate() {
        long reads = hits + misses;
        return reads == 0 ? 0 : (double) hits / reads;
    }

    /** @return the same counters as the API's DTO */
    public DocumentCacheDTO toDTO() {
        DocumentCacheDTO dto = new DocumentCacheDTO();
        dto.maxBytes = maxBytes;
        dto.bytes = bytes;
        dto.entries = entries;
        dto.hits = hits;
        dto.misses = misses;
        dto.evictions = evictions;
        dto.refused = refused;
        return dto;
    }
}
