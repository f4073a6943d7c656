package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.blazedb.api.NodeId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The MVStore file of one store and its maps:
 *
 * <ul>
 *   <li>{@code meta}: format version, node id, clock, version vector, next index number;</li>
 *   <li>{@code log}: log position → operation-log record;</li>
 *   <li>{@code o.<node>}: per origin, sequence → log position;</li>
 *   <li>{@code catalog}: collection name → catalog record;</li>
 *   <li>{@code d.<collection>}: document id → document record;</li>
 *   <li>{@code i.<number>}: a secondary index, (value, id) → empty;</li>
 *   <li>{@code peers}: peer node id → the version vector it is known to hold.</li>
 * </ul>
 *
 * One MVStore commit covers all maps, which is what makes a write atomic.
 */
final class StoreFiles implements AutoCloseable {
    static final String FILE_NAME = "blaze.mv.db";
    /** Where {@link FileCompaction} writes the compacted copy before it replaces {@link #FILE_NAME}. */
    static final String COMPACT_FILE_NAME = "blaze.mv.db.compact";
    /**
     * The most entries of a B-tree page before MVStore splits it (MVStore's own default). Only how
     * pages are cut, not the file's format: a file written with another value reads the same.
     * {@code -Dblaze.store.keysPerPage=N} sets another, for measurements (docs/performance.md,
     * eighth pass: 96 and 192 were no better).
     */
    static final int DEFAULT_KEYS_PER_PAGE = 48;
    /** The system property that overrides {@link #DEFAULT_KEYS_PER_PAGE}. */
    static final String KEYS_PER_PAGE_PROPERTY = "blaze.store.keysPerPage";

    final Path folder;
    final MVStore store;
    final MVMap<String, byte[]> meta;
    final MVMap<Long, byte[]> log;
    final MVMap<String, byte[]> catalog;
    final MVMap<String, byte[]> peers;
    private final Map<NodeId, MVMap<Long, Long>> origins = new ConcurrentHashMap<>();
    private final Map<String, MVMap<String, byte[]>> docs = new ConcurrentHashMap<>();
    private final Map<Integer, MVMap<IndexKey, byte[]>> indexes = new ConcurrentHashMap<>();

    private StoreFiles(Path folder, MVStore store) {
        this.folder = folder;
        this.store = store;
        this.meta = store.openMap("meta", builder("meta"));
        this.log = store.openMap("log", builder("log"));
        this.catalog = store.openMap("catalog", builder("catalog"));
        this.peers = store.openMap("peers", builder("peers"));
    }

    /**
     * @param name a map name of this layout
     * @return the builder that opens it with its key and value types
     * @throws IllegalArgumentException for a name that is not part of the layout
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, V> MVMap.Builder<K, V> builder(String name) {
        MVMap.Builder b;
        if (name.equals("meta") || name.equals("catalog") || name.equals("peers")) {
            b = new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
        } else if (name.equals("log")) {
            b = new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter();
        } else if (name.startsWith("o.")) {
            b = new MVMap.Builder<Long, Long>().keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE).singleWriter();
        } else if (name.startsWith("d.")) {
            b = new MVMap.Builder<String, byte[]>().keyType(IdKeyType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter();
        } else if (name.startsWith("i.")) {
            b = new MVMap.Builder<IndexKey, byte[]>().keyType(IndexKeyType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter();
        } else {
            throw new IllegalArgumentException("Unknown map '" + name + "' in the store file");
        }
        return b;
    }

    /** @return every map of the file, opened with its types, by name */
    Map<String, MVMap<Object, Object>> allMaps() {
        Map<String, MVMap<Object, Object>> all = new java.util.TreeMap<>();
        for (String name : store.getMapNames()) {
            all.put(name, store.openMap(name, builder(name)));
        }
        return all;
    }

    /** @return the MVStore builder of a store file: commits only when told, appends every chunk */
    static MVStore.Builder storeBuilder(Path file, int cacheSizeMb) {
        return new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled() // we commit: at checkpoints only, never half a write
                // Without this MVStore still commits on its own from a writing thread once 19 MB of
                // changes are unsaved (autoCommitDisabled only stops the background thread).
                .autoCommitBufferSize(0)
                .keysPerPage(keysPerPage(System.getProperty(KEYS_PER_PAGE_PROPERTY)))
                .cacheSize(cacheSizeMb);
    }

    /**
     * @param value the {@link #KEYS_PER_PAGE_PROPERTY} property, or null
     * @return the page size it asks for, or the default when null
     * @throws IllegalArgumentException when it is not a number from 4 to 4,096 (MVStore would split
     *         pages of fewer entries endlessly, and take pages of more for the whole file)
     */
    static int keysPerPage(String value) {
        if (value == null) {
            return DEFAULT_KEYS_PER_PAGE;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 4 && n <= 4096) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new IllegalArgumentException("The system property " + KEYS_PER_PAGE_PROPERTY + " must be a whole number from 4 to 4096, not '" + value
                + "'; leave it unset for MVStore's default of " + DEFAULT_KEYS_PER_PAGE);
    }

    /**
     * @param lock     the folder's lock, held by the caller for as long as these files are open (a
     *                 refused open must not touch a file of the folder: it would delete the running
     *                 store's compaction copy)
     * @param options  how
     * @param syncedVersion when the store reopens after a failed commit: the MVStore version of the
     *                 file's last synced commit, to which a newer commit (written, its sync failed)
     *                 is rolled back; -1 to open the file as it is
     * @return the open files
     * @throws org.blazedb.api.BlazeException FORMAT_TOO_NEW, CORRUPT_DATA, IO_FAILURE…
     */
    static StoreFiles open(FolderLock lock, StoreOptions options, long syncedVersion) {
        Path folder = lock.folder;
        try {
            // MVStore also locks its file while it is open: a second guard against a build that
            // knows only that lock
            MVStore store = openStore(folder.resolve(FILE_NAME), options.cacheSizeMb());
            try {
                // a compaction that did not finish: its copy never replaced the file, and is useless now
                Files.deleteIfExists(folder.resolve(COMPACT_FILE_NAME));
                rollBackUnsynced(store, syncedVersion, folder);
            } catch (IOException | RuntimeException | Error e) {
                store.closeImmediately();
                throw e;
            }
            return new StoreFiles(folder, store);
        } catch (IOException | RuntimeException | Error e) {
            throw StoreErrors.map(e, folder, "opening the store");
        }
    }

    /**
     * Opens the file a compaction has just put in place, under the folder's lock that the store
     * holds (the instance it replaces is {@linkplain #retire() retired}).
     */
    static StoreFiles reopenCompacted(Path folder, int cacheSizeMb) {
        return new StoreFiles(folder, openStore(folder.resolve(FILE_NAME), cacheSizeMb));
    }

    private static MVStore openStore(Path file, int cacheSizeMb) {
        MVStore store = storeBuilder(file, cacheSizeMb).open();
        // Chunks are always appended at the end of the file, where recovery finds the newest one.
        // With space reuse on, MVStore 2.5.252 can reopen after a kill at an older chunk than the
        // last one it committed and synced (it writes its file header pointing to the chunk before
        // the one it places out of its predicted position); see docs/store.md. The file is kept
        // small by FileCompaction instead.
        store.setReuseSpace(false);
        return store;
    }

    /**
     * A checkpoint whose fsync failed may still be in the file: written to the page cache, or even
     * to the disk, but not known to be there. Its writers were told it failed, so it must not come
     * back; and nothing may be built on it, as a later commit's pages would refer to pages of it
     * that the disk may never hold (after a failed fsync the kernel may drop them). So the file goes
     * back to the last commit that was synced, and that is synced as the file's newest state.
     * Before the maps are opened: one created in the failed commit goes with it.
     */
    private static void rollBackUnsynced(MVStore store, long syncedVersion, Path folder) {
        long found = store.getCurrentVersion();
        if (syncedVersion < 0 || found <= syncedVersion) {
            return;
        }
        System.getLogger(StoreFiles.class.getName()).log(System.Logger.Level.WARNING, "Store in " + folder + ": the file holds commit "
                + found + " whose sync failed; rolling it back to commit " + syncedVersion + ", the last one synced");
        store.rollbackTo(syncedVersion);
        store.sync();
    }

    /** @return the size of the store file in bytes */
    long fileSize() {
        return store.getFileStore().size();
    }

    /**
     * @return an estimate, in percent, of the share of the file that holds live data: the blocks of
     *         chunks still in use times the share of live pages in them
     */
    int liveRate() {
        return store.getFillRate() * store.getFileStore().getChunksFillRate() / 100;
    }

    MVMap<Long, Long> origin(NodeId node, boolean create) {
        MVMap<Long, Long> map = origins.get(node);
        if (map == null) {
            String name = "o." + node;
            if (!create && !store.hasMap(name)) {
                return null;
            }
            map = origins.computeIfAbsent(node, n -> store.openMap(name, builder(name)));
        }
        return map;
    }

    MVMap<String, byte[]> docs(String collection, boolean create) {
        MVMap<String, byte[]> map = docs.get(collection);
        if (map == null) {
            String name = "d." + collection;
            if (!create && !store.hasMap(name)) {
                return null;
            }
            map = docs.computeIfAbsent(collection, c -> store.openMap(name, builder(name)));
        }
        return map;
    }

    MVMap<IndexKey, byte[]> index(int number) {
        return indexes.computeIfAbsent(number, n -> store.openMap("i." + n, builder("i." + n)));
    }

    /**
     * @return the index map {@code number}, or null if this file has none (for readers, which must
     *         not create one: the writer commits the file's maps)
     */
    MVMap<IndexKey, byte[]> existingIndex(int number) {
        MVMap<IndexKey, byte[]> map = indexes.get(number);
        return map != null || !store.hasMap("i." + number) ? map : index(number);
    }

    void dropIndex(int number) {
        MVMap<IndexKey, byte[]> map = index(number);
        indexes.remove(number);
        store.removeMap(map);
    }

    /** Closes after a final commit (the folder's lock is the caller's to release). */
    @Override
    public void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    /** Closes without writing anything, after a failure. */
    void closeImmediately() {
        store.closeImmediately();
    }

    /**
     * Closes a file that a compaction replaced (it is already unlinked and everything in it is in
     * the new file): without writing.
     */
    void retire() {
        store.closeImmediately();
    }
}
