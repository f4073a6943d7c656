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
 */
public record StoreOptions(String name, Path folder, Durability durability, int relaxedSyncMillis, int cacheSizeMb,
                           long minFreeBytes) {
    /** The default reserve of free disk space: a commit never starts with less. */
    public static final long DEFAULT_MIN_FREE_BYTES = 16L << 20;

    /** @param name n @param folder f @param durability d @param relaxedSyncMillis r @param cacheSizeMb c @param minFreeBytes m */
    public StoreOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(durability, "durability");
        if (relaxedSyncMillis < 1 || cacheSizeMb < 1 || minFreeBytes < 0) {
            throw new IllegalArgumentException("relaxedSyncMillis and cacheSizeMb must be positive, minFreeBytes not negative");
        }
    }

    /** @param name store name @param folder data folder @return SYNC durability, a 16 MiB cache */
    public static StoreOptions defaults(String name, Path folder) {
        return new StoreOptions(name, folder, Durability.SYNC, 100, 16, DEFAULT_MIN_FREE_BYTES);
    }

    /** @param d durability @return a copy with it */
    public StoreOptions withDurability(Durability d) {
        return new StoreOptions(name, folder, d, relaxedSyncMillis, cacheSizeMb, minFreeBytes);
    }

    /** @param bytes reserve @return a copy with it */
    public StoreOptions withMinFreeBytes(long bytes) {
        return new StoreOptions(name, folder, durability, relaxedSyncMillis, cacheSizeMb, bytes);
    }
}
