package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Bounds the size of the store file. MVStore appends every chunk (space reuse is off, see
 * {@link StoreFiles}), so pages that later commits replaced stay in the file. When live data fills
 * less than half of the file, a compaction copies the live data into a fresh file and puts that
 * file in place:
 *
 * <ol>
 *   <li>{@link #start}: right after a checkpoint (under the commit lock), a snapshot of every map
 *       is taken as it is at that checkpoint, sequence C0 (an MVStore cursor keeps the root pages
 *       it started from, and with space reuse off those pages are never overwritten). From here
 *       on the write-ahead log is not restarted, so it holds every group after C0.</li>
 *   <li>A background thread copies the snapshot into {@code blaze.mv.db.compact}, commits, fsyncs
 *       and closes it. Writers are not held up.</li>
 *   <li>{@link #install}: at a later checkpoint C1 (under the commit lock), the copy is renamed
 *       over {@code blaze.mv.db} (atomic; the folder is fsynced), opened, and the log's groups
 *       C0+1..C1 are replayed into it and checkpointed. The old file stays open, unlinked, for
 *       cursors that started on it, for a grace period ({@link RetiredFiles}, 60 s) or until the
 *       store closes; a cursor still reading it then goes on from its last key in the new file.</li>
 * </ol>
 *
 * A kill before the rename leaves the old file and the whole log (the copy is deleted at open); a
 * kill after it leaves the copy, checkpointed at C0, and the log from C0+1: opening replays the log
 * either way. Index creation and removal (which write the file directly, not through the log) and
 * a failed commit cancel a compaction in progress.
 */
final class FileCompaction {
    private static final System.Logger LOG = System.getLogger(FileCompaction.class.getName());
    /** How many entries the copy writes between commits of the new file, to bound its memory. */
    private static final int ENTRIES_PER_COMMIT = 50_000;

    private final Path folder;
    private final Path copy;
    private final long sequence;
    private final int cacheSizeMb;
    private final Map<String, Cursor<Object, Object>> snapshot = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean cancelled;
    private volatile boolean copied;
    private volatile Throwable failure;
    private long entries;

    private FileCompaction(StoreFiles files, long sequence, int cacheSizeMb) {
        this.folder = files.folder;
        this.copy = files.folder.resolve(StoreFiles.COMPACT_FILE_NAME);
        this.sequence = sequence;
        this.cacheSizeMb = cacheSizeMb;
        for (Map.Entry<String, MVMap<Object, Object>> e : files.allMaps().entrySet()) {
            snapshot.put(e.getKey(), e.getValue().cursor(null));
        }
        this.thread = new Thread(this::copy, "blaze-store-compaction-" + folder.getFileName());
        this.thread.setDaemon(true);
    }

    /**
     * Takes the snapshot and starts copying; call under the commit lock, right after a checkpoint.
     *
     * @param files       the open files
     * @param sequence    the group sequence of that checkpoint
     * @param cacheSizeMb the page cache of the copy
     * @return the running compaction
     */
    static FileCompaction start(StoreFiles files, long sequence, int cacheSizeMb) {
        FileCompaction c = new FileCompaction(files, sequence, cacheSizeMb);
        c.thread.start();
        return c;
    }

    /**
     * @param files         the open files
     * @param minBytes      the smallest file worth compacting
     * @param maxLivePercent compact when live data fills at most this share of the file
     * @return whether the file is worth compacting now
     */
    static boolean due(StoreFiles files, long minBytes, int maxLivePercent) {
        return files.fileSize() >= minBytes && files.liveRate() <= maxLivePercent;
    }

    /** @return the group sequence the copy holds */
    long sequence() {
        return sequence;
    }

    /** @return whether the copy is complete and on disk */
    boolean copied() {
        return copied;
    }

    /** @return whether the copy failed or was cancelled (nothing of it can be used) */
    boolean abandoned() {
        return failure != null || cancelled;
    }

    private void copy() {
        try {
            Files.deleteIfExists(copy);
            MVStore out = StoreFiles.storeBuilder(copy, Math.min(cacheSizeMb, 64)).open();
            try {
                out.setReuseSpace(false);
                for (Map.Entry<String, Cursor<Object, Object>> e : snapshot.entrySet()) {
                    MVMap<Object, Object> target = out.openMap(e.getKey(), StoreFiles.builder(e.getKey()));
                    Cursor<Object, Object> c = e.getValue();
                    while (c.hasNext()) {
                        Object key = c.next();
                        target.put(key, c.getValue());
                        if (++entries % ENTRIES_PER_COMMIT == 0) {
                            if (cancelled) {
                                return;
                            }
                            out.commit();
                        }
                    }
                }
                out.commit();
                out.sync();
            } finally {
                out.close();
            }
            if (!cancelled) {
                copied = true;
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            LOG.log(System.Logger.Level.WARNING, "Compacting the store file in " + folder + " failed; the store goes on with its "
                    + "current file and tries again later", e);
        }
    }

    /** Stops the copy and deletes it; the store goes on with its current file. */
    void cancel() {
        cancelled = true;
        awaitCopy();
        deleteCopy();
    }

    private void awaitCopy() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteCopy() {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete " + copy + "; it is deleted at the next open", e);
        }
    }

    /**
     * Puts the copy in place of the store file; call under the commit lock, right after a checkpoint,
     * once {@link #copied()}. The caller replays the log after {@link #sequence()} into the returned
     * files and checkpoints them.
     *
     * @return the files of the compacted store
     * @throws IOException if the rename failed (the old file is then still in place) or the new file
     *                     cannot be opened
     */
    StoreFiles install() throws IOException {
        awaitCopy();
        long before = Files.size(folder.resolve(StoreFiles.FILE_NAME));
        long after = Files.size(copy);
        Files.move(copy, folder.resolve(StoreFiles.FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(folder);
        LOG.log(System.Logger.Level.INFO, "Compacted the store file in " + folder + ": " + (before >> 10) + " KiB to " + (after >> 10)
                + " KiB, " + entries + " entries");
        return StoreFiles.reopenCompacted(folder, cacheSizeMb);
    }

    /**
     * Brings the installed copy from {@link #sequence()} up to the store's last group by replaying the
     * log, and checkpoints it; under the commit lock.
     *
     * @param fresh   the files {@link #install()} returned
     * @param wal     the store's log, holding every group after {@link #sequence()}
     * @param current the store's last group sequence
     * @throws IOException if the log cannot be read
     * @throws IllegalStateException if the log does not reach {@code current}
     */
    void catchUp(StoreFiles fresh, WriteAheadLog wal, long current) throws IOException {
        long last = sequence;
        for (WriteAheadLog.Record r : wal.readAfter(sequence)) {
            if (r.sequence() > current) {
                break;
            }
            WalChanges.apply(fresh, r.payload(), r.changesOffset());
            last = r.sequence();
        }
        if (last != current) {
            throw new IllegalStateException("The write-ahead log holds groups " + (sequence + 1) + ".." + last
                    + ", the store is at " + current);
        }
        fresh.meta.put("walSeq", new org.blazedb.codec.BlazeWriter(10).writeVarLong(current).toByteArray());
        fresh.store.commit();
        fresh.store.sync();
    }

    /** Makes a rename in the folder durable (the folder's entry, not only the file's data). */
    static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
