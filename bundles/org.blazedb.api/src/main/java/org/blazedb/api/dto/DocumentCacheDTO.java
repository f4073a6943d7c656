package org.blazedb.api.dto;

import org.osgi.dto.DTO;

/**
 * The counters of a store's cache of decoded documents (point reads by id). Counters count from the
 * store's start; a store with the cache turned off reports zeros.
 */
public class DocumentCacheDTO extends DTO {
    /** The configured bound in bytes (estimated sizes); 0 when the cache is off. */
    public long maxBytes;
    /** The estimated size of the documents cached now, in bytes. */
    public long bytes;
    /** How many documents are cached now. */
    public long entries;
    /** Reads answered from the cache. */
    public long hits;
    /** Reads that went to the stored record. */
    public long misses;
    /** Documents evicted to stay within the bound. */
    public long evictions;
    /** Documents read but not cached because a write to them was in progress or happened during the read. */
    public long refused;
}
