package org.blazedb.store.impl;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to open a store.
 *
 * @param name              the store's name
 * @param folder            its data folder, created if missing
 * @param durability        when writes are on disk
 * @param relaxedSyncMillis the fsync interval in {@link Durability#RELAXED} mode
 * @param cacheSizeMb       the MVStore page cache, in MiB
 * @param minFreeBytes      writes fail with DISK_FULL, before anything is written, when the disk has
 *                          less usable space than this
 * @param documentCacheMb   the {@link DocumentCache} of decoded documents, in MiB (estimated); 0 turns it off
 */
public record StoreOptions(String name, Path folder, Durability durability, int relaxedSyncMillis, int cacheSizeMb,
                           long minFreeBytes, int documentCacheMb) {
    /** The default reserve of free disk space: a commit never starts with less. */
    public static final long DEFAULT_MIN_FREE_BYTES = 16L << 20;
    /** The default size of the MVStore page cache, in MiB. */
    public static final int DEFAULT_CACHE_SIZE_MB = 16;
    /** The default size of the cache of decoded documents, in MiB. */
    public static final int DEFAULT_DOCUMENT_CACHE_MB = 32;

    /**
     * @param name n @param folder f @param durability d @param relaxedSyncMillis r @param cacheSizeMb c
     * @param minFreeBytes m @param documentCacheMb dc
     */
    public StoreOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(durability, "durability");
        if (relaxedSyncMillis < 1 || cacheSizeMb < 1 || minFreeBytes < 0 || documentCacheMb < 0) {
            throw new IllegalArgumentException("relaxedSyncMillis and cacheSizeMb must be positive, minFreeBytes and documentCacheMb not negative");
        }
    }

    /**
     * With the default document cache.
     *
     * @param name n @param folder f @param durability d @param relaxedSyncMillis r @param cacheSizeMb c @param minFreeBytes m
     */
    public StoreOptions(String name, Path folder, Durability durability, int relaxedSyncMillis, int cacheSizeMb, long minFreeBytes) {
        this(name, folder, durability, relaxedSyncMillis, cacheSizeMb, minFreeBytes, DEFAULT_DOCUMENT_CACHE_MB);
    }

    /** @param name store name @param folder data folder @return SYNC durability, the default page cache ({@value #DEFAULT_CACHE_SIZE_MB} MiB) and document cache ({@value #DEFAULT_DOCUMENT_CACHE_MB} MiB) */
    public static StoreOptions defaults(String name, Path folder) {
        return new StoreOptions(name, folder, Durability.SYNC, 100, DEFAULT_CACHE_SIZE_MB, DEFAULT_MIN_FREE_BYTES, DEFAULT_DOCUMENT_CACHE_MB);
    }

    /** @param d durability @return a copy with it */
    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(name, folder, d, relaxedSyncMillis, cacheSizeMb, minFreeBytes, documentCacheMb);
    }

    /** @param bytes reserve @return a copy with it */
    public StoreOptions withMinFreeBytes(long bytes) {
        return new StoreOptions(name, folder, durability, relaxedSyncMillis, cacheSizeMb, bytes, documentCacheMb);
    }

    /** @param mb the MVStore page cache in MiB @return a copy with it */
    public StoreOptions withCacheSizeMb(int mb) {
        return new StoreOptions(name, folder, durability, relaxedSyncMillis, mb, minFreeBytes, documentCacheMb);
    }

    /** @param mb the document cache in MiB, 0 for none @return a copy with it */
    public StoreOptions withDocumentCacheMb(int mb) {
        return new StoreOptions(name, folder, durability, relaxedSyncMillis, cacheSizeMb, minFreeBytes, mb);
    }
}
