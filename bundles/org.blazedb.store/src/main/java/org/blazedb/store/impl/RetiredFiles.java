package org.blazedb.store.impl;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * Store files that a {@link FileCompaction} replaced. They stay open, unlinked, for a grace period,
 * so that cursors that started on them (scans, queries, log reads) read on undisturbed; one still
 * open when its file closes goes on from its last key in the new file ({@link Cursors#entries}).
 * Used under the commit lock only.
 */
final class RetiredFiles {
    /** How long a replaced file stays open. */
    static final long GRACE_NANOS = 60_000_000_000L;

    private final ArrayDeque<Map.Entry<StoreFiles, Long>> files = new ArrayDeque<>();

    /** @param replaced files a compaction has just replaced */
    void add(StoreFiles replaced) {
        files.add(Map.entry(replaced, System.nanoTime()));
    }

    /** Closes the files whose grace period is over. */
    void closeExpired() {
        while (!files.isEmpty() && System.nanoTime() - files.peekFirst().getValue() > GRACE_NANOS) {
            files.pollFirst().getKey().retire();
        }
    }

    /** Closes them all, when the store closes. */
    void closeAll() {
        while (!files.isEmpty()) {
            files.pollFirst().getKey().retire();
        }
    }
}
