package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
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
    /** Data folders open in this JVM; MVStore's file lock guards against other processes. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

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
        this.meta = store.openMap("meta", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        this.log = store.openMap("log", new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter());
        this.catalog = store.openMap("catalog", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
        this.peers = store.openMap("peers", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    /**
     * @param options where and how
     * @return the open files
     * @throws org.blazedb.api.BlazeException DATA_FOLDER_LOCKED, FORMAT_TOO_NEW, IO_FAILURE…
     */
    static StoreFiles open(StoreOptions options) {
        Path folder = options.folder().toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw StoreErrors.map(e, folder, "creating the data folder");
        }
        if (!OPEN.add(folder)) {
            throw StoreErrors.locked(folder, null);
        }
        try {
            MVStore store = new MVStore.Builder()
                    .fileName(folder.resolve(FILE_NAME).toString())
                    .autoCommitDisabled() // we commit: one commit per group of writes, never half a write
                    .cacheSize(options.cacheSizeMb())
                    .open();
            // Chunks are always appended at the end of the file, where recovery finds the newest one.
            // With space reuse on, SIGKILL tests (CrashTest) saw MVStore reopen at an older chunk and lose
            // acknowledged commits; see docs/store.md, "Durability".
            store.setReuseSpace(false);
            return new StoreFiles(folder, store);
        } catch (RuntimeException | Error e) {
            OPEN.remove(folder);
            throw StoreErrors.map(e, folder, "opening the store");
        }
    }

    MVMap<Long, Long> origin(NodeId node, boolean create) {
        MVMap<Long, Long> map = origins.get(node);
        if (map == null) {
            String name = "o." + node;
            if (!create && !store.hasMap(name)) {
                return null;
            }
            map = origins.computeIfAbsent(node, n -> store.openMap(name,
                    new MVMap.Builder<Long, Long>().keyType(LongDataType.INSTANCE).valueType(LongDataType.INSTANCE).singleWriter()));
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
            map = docs.computeIfAbsent(collection, c -> store.openMap(name,
                    new MVMap.Builder<String, byte[]>().keyType(IdKeyType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter()));
        }
        return map;
    }

    MVMap<IndexKey, byte[]> index(int number) {
        return indexes.computeIfAbsent(number, n -> store.openMap("i." + n,
                new MVMap.Builder<IndexKey, byte[]>().keyType(IndexKeyType.INSTANCE).valueType(ByteArrayDataType.INSTANCE).singleWriter()));
    }

    void dropIndex(int number) {
        MVMap<IndexKey, byte[]> map = index(number);
        indexes.remove(number);
        store.removeMap(map);
    }

    /** Closes after a final commit. */
    @Override
    public void close() {
        try {
            if (!store.isClosed()) {
                store.close();
            }
        } finally {
            OPEN.remove(folder);
        }
    }

    /** Closes without writing anything, after a failure. */
    void closeImmediately() {
        try {
            store.closeImmediately();
        } finally {
            OPEN.remove(folder);
        }
    }
}
