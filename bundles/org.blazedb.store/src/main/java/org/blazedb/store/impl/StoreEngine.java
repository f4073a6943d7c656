package org.blazedb.store.impl;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.Names;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationLog;
import org.blazedb.api.Store;
import org.blazedb.api.VersionVector;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.sync.ApplyResult;
import org.blazedb.api.sync.ConflictResolver;
import org.blazedb.api.sync.EncodedOperation;
import org.blazedb.api.sync.Replica;
import org.blazedb.codec.BlazeReader;
import org.blazedb.codec.BlazeWriter;
import org.h2.mvstore.MVMap;

/**
 * One open store: documents, the operation log and sync state in one MVStore file, written by one
 * {@link Committer} thread with group commit, read concurrently by any thread. Usable without OSGi
 * (tests, benchmarks); {@code StoreComponent} registers it as a service.
 *
 * <p>Reads see a write once its group is applied, which can be a moment before the write is
 * durable and returns. The operation log, {@link #version()}, listeners and sync see only durable
 * operations: nothing that a crash could take back is ever replicated.
 */
public final class StoreEngine implements Store, Replica, AutoCloseable {
    /**
     * The store format this version writes: 3 holds values in BlazeBinary format 2 and one entry per
     * run of an origin's operations in its {@code o.<node>} map (see {@link #positionOf}). A folder
     * of format 2 (one entry per operation, which is a run of one each) is read as it is and marked 3
     * before anything is written, so that a build reading only format 2 refuses it from then on
     * instead of missing operations. A folder with a greater format is refused as too new; format 1
     * (BlazeBinary 1, whose values format 2 would misread) is refused too.
     */
    static final int FORMAT_VERSION = 3;
    /** The oldest store format this version opens (see {@link #FORMAT_VERSION}). */
    static final int OLDEST_FORMAT_READ = 2;
    private static final System.Logger LOG = System.getLogger(StoreEngine.class.getName());

    final StoreOptions options;
    final NodeId nodeId;
    final HybridClock clock;
    private final Committer committer;
    private final AsyncCompletions completions;
    private final ChangeFeeds feeds;
    private final FileStore disk;
    /** The data folder's lock, held from open to close, across recoveries and compactions. */
    private final FolderLock folderLock;
    volatile StoreFiles files;
    /** Decoded documents in front of the document maps; the writer keeps it exact (see DocumentCache). */
    final DocumentCache cache;
    /** Encodes the fields of large batches' puts beside the committing thread. */
    final FieldEncoder fieldEncoder;

    /** A failure to inject into the next log sync; tests only. */
    interface Fault {
        void check() throws IOException;
    }

    /** Set by tests to make log syncs fail; null otherwise. */
    volatile Fault syncFault;

    /** Set by tests to make the MVStore file's syncs at checkpoints fail; null otherwise. */
    volatile Fault fileSyncFault;

    /**
     * Set by tests to make what follows a synced checkpoint fail (the log's restart, a compaction's
     * start or installation), as an I/O error there would; null otherwise.
     */
    volatile Fault afterCheckpointFault;

    /**
     * Set by tests to act, or fail as an I/O error would, while a recovery has closed the store's
     * file and not yet opened it again; null otherwise.
     */
    volatile Fault reopenFault;

    /** @return the writes queued for the committer and not yet taken into a group; for tests */
    int queuedWrites() {
        return committer.queued();
    }

    /** @return checkpoints the writer thread took between groups while batches were queued; for tests */
    int busyCheckpoints() {
        return committer.busyCheckpoints();
    }

    /** @param fault a test's fault for the sync about to run, or null: it fails that sync as the disk would */
    private static void inject(Fault fault) {
        if (fault == null) {
            return;
        }
        try {
            fault.check();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How often the MVStore file is checkpointed while writes come in. */
    static final long CHECKPOINT_NANOS = 1_000_000_000L;
    /** The write-ahead log size that forces a checkpoint even within the second. */
    static final long CHECKPOINT_LOG_BYTES = 32L << 20;
    /**
     * A group whose log record would reach this size is committed as a checkpoint instead, when its
     * pages are not much larger (see {@code Host.largeGroup}).
     */
    static final int LARGE_GROUP_BYTES = 256 << 10;
    /**
     * How many times the log record's size the MVStore's estimate of its unsaved pages may be for a
     * large group to be checkpointed: the estimate counts in-memory page sizes, about 1.2 times the
     * record for a batch of new documents, and many times it for one spread over the file.
     */
    static final int LARGE_GROUP_PAGE_FACTOR = 2;
    /** The greatest index number: an index map is {@code i.<number>}, numbered from 1 and never reused. */
    static final int MAX_INDEX_NUMBER = Integer.MAX_VALUE;
    /** The smallest store file that {@link FileCompaction} compacts. */
    static final long COMPACT_MIN_BYTES = 32L << 20;
    /** Compact when live data fills at most this share of the file, in percent. */
    static final int COMPACT_MAX_LIVE_PERCENT = 50;

    // Maintenance settings; tests and the crash test's writer make them aggressive.
    volatile long checkpointNanos = CHECKPOINT_NANOS;
    volatile int largeGroupBytes = LARGE_GROUP_BYTES;
    volatile long compactMinBytes = COMPACT_MIN_BYTES;
    volatile int compactMaxLivePercent = COMPACT_MAX_LIVE_PERCENT;
    /** Compactions installed since the store opened. */
    volatile int compactions;
    /** Times {@link FileCompaction#due} was asked since the store opened. */
    volatile int compactionChecks;
    /** Groups committed as a checkpoint instead of a log record since the store opened. */
    volatile int largeGroupCheckpoints;
    /** Times the store reopened its files after a failure since it opened. */
    volatile int recoveries;

    // Owned by whoever holds the commit lock (see Committer).
    private WriteAheadLog wal;
    private final WalChanges changes = new WalChanges();
    /** The buffer the records of a group are encoded into, one at a time, before being copied out. */
    final BlazeWriter scratch = new BlazeWriter(4096);
    /** The buffer a logged group's record is encoded into. */
    private final BlazeWriter walRecord = new BlazeWriter(4096);
    private long walSequence;
    private long checkpointedSequence;
    /** The last group whose writers were (or, in RELAXED mode, will be) told it succeeded. */
    private long acknowledgedSequence;
    private boolean checkpointNow;
    private boolean groupLogged;
    /** Whether the last commit wrote a checkpoint whose sync is still to come (a large group's). */
    private boolean checkpointUnsynced;
    /**
     * The MVStore version of the store file's last synced commit, or -1 while a compaction puts a
     * new file in its place. A checkpoint whose sync failed left a newer commit in the file; a
     * recovery rolls the reopened file back to this version (see {@link StoreFiles#open}). Set by
     * whoever syncs the file: under the commit lock, or on the syncer thread that the commit lock
     * then waits for.
     */
    private volatile long fileSyncedVersion;
    private long lastCheckpoint = System.nanoTime();
    /**
     * When {@link FileCompaction#due} was last asked. It walks every chunk of the file, and an
     * import commits a checkpoint per batch, so it is asked at most once per checkpoint interval.
     */
    private long lastCompactionCheck = System.nanoTime();
    /** The log's size at the last checkpoint: it is not restarted while a compaction runs. */
    private long walPositionAtCheckpoint;
    /** The compaction in progress, or null. */
    private FileCompaction compaction;
    /** Files compactions replaced, still open for the queries that hold them. */
    private final RetiredFiles retired = new RetiredFiles();
    private boolean closing;
    long appliedPosition;
    /**
     * The origin and sequence of the operation at {@link #appliedPosition} when {@link #appendLog}
     * put it there; null (unknown) after the file is loaded, so the next operation starts a run.
     */
    private NodeId lastAppendedOrigin;
    private long lastAppendedSequence;
    VersionVector appliedVersion;
    /** The number the next index created gets (meta.nextIndex); past {@link #MAX_INDEX_NUMBER} once all are given out. */
    private long nextIndexNumber;
    private final Set<String> dirtyCatalog = new HashSet<>();
    /**
     * Per collection, the greatest id in its map once looked up, kept by {@link #writeDocument} (the
     * only writer of document maps after open) and forgotten whenever the file is loaded or replaced.
     */
    private final Map<String, String> greatestIds = new HashMap<>();
    /** Changes of live counts written since the catalog was last brought up to date, by collection. */
    private final Map<String, long[]> pendingLive = new HashMap<>();

    // Read by every thread.
    final Map<String, CollectionInfo> catalog = new ConcurrentHashMap<>();
    private volatile long durablePosition;
    private volatile VersionVector durableVersion;
    private volatile boolean closed;

    private StoreEngine(StoreOptions options, FolderLock folderLock, StoreFiles files) {
        this.options = options;
        this.folderLock = folderLock;
        this.files = files;
        this.cache = new DocumentCache((long) options.documentCacheMb() << 20);
        this.disk = fileStore(files);
        try {
            this.nodeId = initialise(files);
            replayWriteAheadLog(files, Long.MAX_VALUE);
            byte[] clockState = files.meta.get("clock");
            this.clock = new HybridClock(nodeId, System::currentTimeMillis, clockState == null ? null : new BlazeReader(clockState).readHlc());
            load(files);
        } catch (RuntimeException e) {
            // the log replayWriteAheadLog opened (open() closes the store file): left open, every
            // failed open leaked its descriptor
            CloseSteps steps = new CloseSteps(e);
            steps.run(this::closeLog);
            throw e;
        }
        this.fileSyncedVersion = files.store.getCurrentVersion(); // replayed, initialised and synced above
        this.fieldEncoder = new FieldEncoder(options.name());
        this.completions = new AsyncCompletions(options.name());
        this.committer = new Committer(options.name(), new Host(), options.durability(), options.relaxedSyncMillis());
        this.feeds = new ChangeFeeds(options.name(), this);
        committer.start();
    }

    /**
     * Opens (creating if needed) the store in {@code options.folder()}.
     *
     * @param options where and how
     * @return the open store
     * @throws BlazeException DATA_FOLDER_LOCKED, FORMAT_TOO_NEW, CORRUPT_DATA, IO_FAILURE
     */
    public static StoreEngine open(StoreOptions options) {
        FolderLock lock = FolderLock.acquire(options.folder());
        StoreFiles files;
        try {
            files = StoreFiles.open(lock, options, -1);
        } catch (RuntimeException e) {
            new CloseSteps(e).run(lock::close);
            throw e;
        }
        try {
            return new StoreEngine(options, lock, files);
        } catch (RuntimeException e) {
            CloseSteps steps = new CloseSteps(e);
            steps.run(files::closeImmediately);
            steps.run(lock::close);
            throw StoreErrors.map(e, files.folder, "opening the store");
        }
    }

    private static FileStore fileStore(StoreFiles files) {
        try {
            return Files.getFileStore(files.folder);
        } catch (IOException e) {
            throw StoreErrors.map(e, files.folder, "inspecting the disk");
        }
    }

    /**
     * Opens the write-ahead log and replays the groups it holds beyond the MVStore file's last
     * checkpoint, then checkpoints them, so the file and the log agree again.
     */
    private void replayWriteAheadLog(StoreFiles f, long upTo) {
        try {
            if (wal != null) {
                wal.close();
            }
            wal = new WriteAheadLog(f.folder);
            long checkpointed = MetaNumbers.read(f, "walSeq", 0, 0, Long.MAX_VALUE);
            long last = checkpointed;
            boolean failedGroup = false;
            for (WriteAheadLog.Record r : wal.readAfter(checkpointed)) {
                if (r.sequence() > upTo) {
                    failedGroup = true; // written, but its writers were told it failed
                    break;
                }
                WalChanges.apply(f, r.payload(), r.changesOffset());
                last = r.sequence();
            }
            if (last != checkpointed) {
                f.meta.put("walSeq", new BlazeWriter(10).writeVarLong(last).toByteArray());
                f.store.commit();
                f.store.sync();
                LOG.log(System.Logger.Level.INFO, "Store in " + f.folder + ": replayed " + (last - checkpointed) + " commit groups from the write-ahead log");
            }
            if (failedGroup) {
                // The failed group's record follows the file's last group in sequence: the next
                // open would replay it (a write reported as failed would come back) unless a later
                // group overwrote it first. Everything before it is in the file now.
                wal.erase();
            } else {
                wal.restart();
            }
            walPositionAtCheckpoint = 0;
            walSequence = last;
            checkpointedSequence = last;
            acknowledgedSequence = last;
        } catch (IOException e) {
            throw StoreErrors.map(e, f.folder, "reading the write-ahead log");
        }
    }

    /** Reads or writes the format version and node id; a new store gets both in its first commit. */
    private static NodeId initialise(StoreFiles files) {
        byte[] format = files.meta.get("format");
        if (format == null) {
            if (!files.log.isEmpty()) {
                throw new BlazeException(ErrorCode.CORRUPT_DATA, "The store in " + files.folder + " has data but no format version");
            }
            try {
                // a log left beside a store that no longer exists must not be replayed into a new one
                Files.deleteIfExists(files.folder.resolve(WriteAheadLog.FILE_NAME));
            } catch (IOException e) {
                throw StoreErrors.map(e, files.folder, "creating the store");
            }
            NodeId node = NodeId.random();
            files.meta.put("format", new BlazeWriter(2).writeVarLong(FORMAT_VERSION).toByteArray());
            files.meta.put("node", new BlazeWriter(16).writeNodeId(node).toByteArray());
            files.store.commit();
            files.store.sync();
            return node;
        }
        long version = new BlazeReader(format).readVarLong();
        if (version > FORMAT_VERSION) {
            throw StoreErrors.tooNew(files.folder, "store format " + version + ", this version reads up to " + FORMAT_VERSION, null);
        }
        if (version < OLDEST_FORMAT_READ) {
            throw StoreErrors.tooOld(files.folder, version, OLDEST_FORMAT_READ, FORMAT_VERSION);
        }
        if (version < FORMAT_VERSION) {
            // Marked (committed and synced) before the write-ahead log is replayed or anything is
            // written: a build that reads only format 2 would take the runs written from now on for
            // single operations, and send a peer too little; it refuses format 3 as too new instead.
            files.meta.put("format", new BlazeWriter(2).writeVarLong(FORMAT_VERSION).toByteArray());
            files.store.commit();
            files.store.sync();
            LOG.log(System.Logger.Level.INFO, "Store in " + files.folder + ": store format " + version + " marked " + FORMAT_VERSION
                    + " (its maps are read as they are)");
        }
        return new BlazeReader(files.meta.get("node")).readNodeId();
    }

    private void load(StoreFiles f) {
        // everything read and checked before anything is replaced: a file that fails here leaves
        // the store as it was (a recovery that fails is retried)
        long next = MetaNumbers.read(f, "nextIndex", 1, 1, MAX_INDEX_NUMBER + 1L); // one past the last number given out
        Map<String, CollectionInfo> collections = new HashMap<>();
        for (Iterator<Map.Entry<String, byte[]>> i = Cursors.entries(f.catalog, null, null); i.hasNext(); ) {
            Map.Entry<String, byte[]> e = i.next();
            collections.put(e.getKey(), CollectionInfo.decode(e.getValue()));
        }
        MetaNumbers.checkIndexNumbers(f, next, collections);
        Long last = f.log.lastKey();
        byte[] version = f.meta.get("version");
        VersionVector vector = version == null ? VersionVector.EMPTY : new BlazeReader(version).readVersionVector();
        appliedPosition = last == null ? 0 : last;
        appliedVersion = vector;
        nextIndexNumber = next;
        catalog.clear();
        catalog.putAll(collections);
        dirtyCatalog.clear();
        pendingLive.clear();
        greatestIds.clear();
        lastAppendedOrigin = null; // the next operation starts a run of its origin (see appendLog)
        durableVersion = appliedVersion;
        durablePosition = appliedPosition;
    }

    // ---------------------------------------------------------------- Store

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public Collection collection(String name) {
        return new EngineCollection(this, Names.collection(name));
    }

    @Override
    public SortedSet<String> collectionNames() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(catalog.keySet()));
    }

    @Override
    public List<Document> write(WriteBatch batch) {
        if (batch.size() == 0) {
            return List.of();
        }
        return submit(new LocalWrite(this, batch.mutations(), false));
    }

    @Override
    public CompletableFuture<List<Document>> writeAsync(WriteBatch batch) {
        checkOpen();
        if (batch.size() == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        // a copy: the caller may go on changing its batch while this one waits in the queue
        return completions.deliver(committer.submitAsync(new LocalWrite(this, List.copyOf(batch.mutations()), false).encodeAhead()));
    }

    @Override
    public OperationLog log() {
        return new LogView(this);
    }

    /** @return for each origin, the highest contiguous sequence held durably */
    @Override
    public VersionVector version() {
        return durableVersion;
    }

    @Override
    public org.blazedb.api.dto.DocumentCacheDTO documentCache() {
        return documentCacheStats().toDTO();
    }

    // ---------------------------------------------------------------- Replica

    @Override
    public Store store() {
        return this;
    }

    @Override
    public Cursor<Operation> operationsMissingFrom(VersionVector known) {
        return missingFrom(known, e -> {
            Operation op = LogRecords.decode(e.getKey(), e.getValue());
            return known.contains(op.id()) ? null : op;
        });
    }

    @Override
    public Cursor<EncodedOperation> encodedOperationsMissingFrom(VersionVector known) {
        return missingFrom(known, e -> {
            EncodedOperation op = LogRecords.encoded(e.getKey(), e.getValue());
            return known.contains(op.id()) ? null : op;
        });
    }

    /** The log records from the first one {@code known} lacks to the durable end, mapped (null: skipped). */
    private <T> Cursor<T> missingFrom(VersionVector known, Function<Map.Entry<Long, byte[]>, T> mapping) {
        Objects.requireNonNull(known, "known");
        checkOpen();
        long end = durablePosition;
        VersionVector held = durableVersion;
        long start = read(f -> {
            long first = end + 1;
            for (Map.Entry<NodeId, Long> e : held.entries().entrySet()) {
                long have = known.get(e.getKey());
                if (have < e.getValue()) {
                    long position = positionOf(f.origin(e.getKey(), false), have + 1);
                    if (position > 0) {
                        first = Math.min(first, position);
                    }
                }
            }
            return first;
        });
        if (start > end) {
            return Cursors.of(Collections.emptyIterator());
        }
        return Cursors.of(Cursors.entries(() -> readableFiles().log, start, end), mapping, Long.MAX_VALUE);
    }

    /**
     * Where an origin's operation is in the log. An origin's map holds one entry per run: the first
     * sequence of a run of that origin's operations at consecutive log positions, and the position
     * of that first one; a run lasts until the origin's next run starts (the last one, up to its
     * last operation held).
     *
     * @param origin   an origin's map of runs, or null when it has none
     * @param sequence a sequence of that origin held in the log
     * @return its log position, or 0 when no run starts at or before it
     */
    static long positionOf(MVMap<Long, Long> origin, long sequence) {
        Long first = origin == null ? null : origin.floorKey(sequence);
        if (first == null) {
            return 0;
        }
        return origin.get(first) + (sequence - first);
    }

    @Override
    public ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(resolver, "resolver");
        return submit(new RemoteApply(this, from, List.copyOf(ops), resolver));
    }

    @Override
    public VersionVector peerVersion(NodeId peer) {
        byte[] v = read(f -> f.peers.get(peer.toString()));
        return v == null ? VersionVector.EMPTY : new BlazeReader(v).readVersionVector();
    }

    @Override
    public void recordPeerVersion(NodeId peer, VersionVector version) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(version, "version");
        submit(new CommitTask<Void>() {
            @Override
            Staged<Void> stage() {
                return () -> {
                    mergePeerVersion(peer, version);
                    return null;
                };
            }
        });
    }

    @Override
    public List<NodeId> knownPeers() {
        return read(f -> {
            List<NodeId> peers = new ArrayList<>();
            for (Iterator<String> i = f.peers.keyIterator(null); i.hasNext(); ) {
                peers.add(NodeId.parse(i.next()));
            }
            return peers;
        });
    }

    // ---------------------------------------------------------------- listeners

    /**
     * Starts delivering changes to a listener on a thread of its own.
     *
     * @param listener    the listener
     * @param collections the collections it wants, empty for all
     * @return closing it stops the delivery
     */
    public AutoCloseable addListener(ChangeListener listener, Set<String> collections) {
        checkOpen();
        return feeds.add(listener, collections);
    }

    // ---------------------------------------------------------------- internals for the package

    long durablePosition() {
        return durablePosition;
    }

    ChangeFeeds feeds() {
        return feeds;
    }

    <T> T submit(CommitTask<T> task) {
        checkOpen();
        return committer.submit(task);
    }

    void checkOpen() {
        if (closed) {
            throw new BlazeException(ErrorCode.STORE_CLOSED, "The store '" + name() + "' is closed");
        }
    }

    /** @return the document's full state, read under the commit lock */
    DocState readState(String collection, String id) {
        MVMap<String, byte[]> docs = files.docs(collection, false);
        byte[] record = docs == null ? null : docs.get(id);
        return record == null ? DocState.empty() : DocumentRecords.decodeState(record);
    }

    /**
     * @return the greatest document id in the collection's map, or the empty string (below every
     *         valid id) when it holds none; under the commit lock only
     */
    String lastDocumentId(String collection) {
        String last = greatestIds.get(collection);
        if (last == null) {
            MVMap<String, byte[]> docs = files.docs(collection, false);
            String key = docs == null ? null : docs.lastKey();
            last = key == null ? "" : key;
            greatestIds.put(collection, last);
        }
        return last;
    }

    /** Writes a document's new state with its index entries and live count; under the commit lock only. */
    void writeDocument(String collection, String id, DocState before, DocState after, byte[] record) {
        writeDocument(collection, id, before, after, record, false);
    }

    /**
     * Writes a document's new state with its index entries and live count; under the commit lock only.
     *
     * @param append whether {@code id} is greater than every id in the collection's map (see
     *               {@link #lastDocumentId}): the record is then appended to the map's page buffer
     *               ({@code MVMap.append}) instead of copying the tree's last leaf for one entry;
     *               reads and commits see it as after a put (both flush the buffer first)
     */
    void writeDocument(String collection, String id, DocState before, DocState after, byte[] record, boolean append) {
        StoreFiles f = files;
        MVMap<String, byte[]> docs = f.docs(collection, true);
        // A document that had no record has no cache entry (entries hold only records read from the
        // map) and no reader can have read an older record of it: nothing to remove, and no stale
        // insert to refuse, so its creation skips the cache's write stamps. Every later write of it
        // finds the record and takes them (see DocumentCache).
        boolean created = !before.exists();
        if (!created) {
            cache.beginWrite(collection, id);
        }
        try {
            if (append) {
                docs.append(id, record);
            } else {
                docs.put(id, record);
            }
        } finally {
            if (!created) {
                cache.endWrite(collection, id);
            }
        }
        String greatest = greatestIds.get(collection);
        if (greatest != null && IdKeyType.INSTANCE.compare(id, greatest) > 0) {
            greatestIds.put(collection, id);
        }
        changes.document(collection, id, record);
        CollectionInfo info = catalog.getOrDefault(collection, CollectionInfo.EMPTY);
        boolean wasLive = before.exists() && before.live();
        boolean isLive = after.live();
        if (!info.indexes().isEmpty()) {
            var old = wasLive ? before.fields() : null;
            var now = isLive ? after.fields() : null;
            for (Map.Entry<String, Integer> index : info.indexes().entrySet()) {
                var oldValue = old == null ? null : old.entries().get(index.getKey());
                var newValue = now == null ? null : now.entries().get(index.getKey());
                if (!Objects.equals(oldValue, newValue)) {
                    MVMap<IndexKey, byte[]> map = f.index(index.getValue());
                    if (oldValue != null) {
                        map.remove(IndexKey.of(oldValue, id));
                        changes.index(index.getValue(), IndexKey.of(oldValue, id), false);
                    }
                    if (newValue != null) {
                        map.put(IndexKey.of(newValue, id), new byte[0]);
                        changes.index(index.getValue(), IndexKey.of(newValue, id), true);
                    }
                }
            }
        }
        if (!catalog.containsKey(collection)) {
            catalog.put(collection, info); // listed at once; its count follows below
            dirtyCatalog.add(collection);
        }
        if (wasLive != isLive) {
            // counted up here and applied to the catalog once per group (a new catalog entry per
            // document cost about 7 % of an import)
            pendingLive.computeIfAbsent(collection, c -> new long[1])[0] += isLive ? 1 : -1;
        }
    }

    /**
     * Writes documents that one write creates in one collection, each with an id greater than every
     * id before it (see {@link #lastDocumentId}): what {@link #writeDocument} does for each, with
     * the collection's map, greatest id, catalog entry and live count looked up and updated once.
     * Under the commit lock only.
     *
     * @param ids               increasing, each greater than every id in the map
     * @param records           their records
     * @param states            their states, each created by a put (live, and new)
     */
    void writeCreatedDocuments(String collection, String[] ids, byte[][] records, DocState[] states) {
        int n = ids.length;
        if (n == 0) {
            return;
        }
        StoreFiles f = files;
        // created documents have no cache entry and take no write stamps (see writeDocument)
        MVMap<String, byte[]> docs = f.docs(collection, true);
        for (int i = 0; i < n; i++) {
            docs.append(ids[i], records[i]);
        }
        if (greatestIds.containsKey(collection)) {
            greatestIds.put(collection, ids[n - 1]);
        }
        for (int i = 0; i < n; i++) {
            changes.document(collection, ids[i], records[i]);
        }
        CollectionInfo info = catalog.getOrDefault(collection, CollectionInfo.EMPTY);
        if (!info.indexes().isEmpty()) {
            for (int i = 0; i < n; i++) {
                MapValue fields = states[i].fields();
                for (Map.Entry<String, Integer> index : info.indexes().entrySet()) {
                    var value = fields.entries().get(index.getKey());
                    if (value != null) {
                        f.index(index.getValue()).put(IndexKey.of(value, ids[i]), new byte[0]);
                        changes.index(index.getValue(), IndexKey.of(value, ids[i]), true);
                    }
                }
            }
        }
        if (!catalog.containsKey(collection)) {
            catalog.put(collection, info); // listed at once; its count follows with the group
            dirtyCatalog.add(collection);
        }
        pendingLive.computeIfAbsent(collection, c -> new long[1])[0] += n; // a put creates a live document
    }

    /**
     * Appends operations to the log in order and moves the applied vector once for all of them (it
     * is copied per update: once per operation cost about 5 % of an import); under the commit lock
     * only. Both keys only grow (positions, and an origin's sequences, which local writes and apply
     * keep contiguous), so {@code MVMap.append} fills a page buffer instead of copying a leaf page
     * for every entry; any read or commit of a map flushes that buffer into the tree first.
     *
     * @param ops      the operations, each origin's in sequence order
     * @param records  their log records, already encoded
     * @param decoded  how many of the first operations are received ones, as their batch was
     *                 decoded (so decoding their records gives them back): those are handed to the
     *                 change feeds as they are, instead of being decoded again
     */
    void appendLogs(List<Operation> ops, List<byte[]> records, int decoded) {
        StoreFiles f = files;
        Map<NodeId, Long> last = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            byte[] record = records.get(i);
            long position = appendLog(f, op.id().origin(), op.id().sequence(), record);
            if (i < decoded) {
                feeds.appended(position, record, op);
            }
            last.put(op.id().origin(), op.id().sequence());
        }
        appliedVersion = appliedVersion.merge(VersionVector.of(last));
    }

    /**
     * Appends this node's operations {@code firstSequence}, {@code firstSequence + 1}, ... to the log
     * (one run of this origin) and moves the applied vector; under the commit lock only.
     *
     * @param records their log records, in sequence order
     */
    void appendLocalLogs(long firstSequence, List<byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        StoreFiles f = files;
        for (int i = 0; i < records.size(); i++) {
            appendLog(f, nodeId, firstSequence + i, records.get(i));
        }
        appliedVersion = appliedVersion.with(nodeId, firstSequence + records.size() - 1);
    }

    /**
     * Appends one operation's record at the next log position. Its origin's map gets an entry only
     * when the operation starts a run (see {@link #positionOf}): when the operation before it in
     * the log is not the same origin's previous one. An import of 1,000 local writes thus adds one
     * entry, not 1,000 (each an append to the map, two boxed longs, a change in the log's group
     * record and a page entry to serialize).
     *
     * @return its position
     */
    private long appendLog(StoreFiles f, NodeId origin, long sequence, byte[] record) {
        long position = ++appliedPosition;
        f.log.append(position, record);
        changes.log(position, record);
        if (sequence != lastAppendedSequence + 1 || !origin.equals(lastAppendedOrigin)) {
            f.origin(origin, true).append(sequence, position);
            changes.origin(origin, sequence, position);
        }
        lastAppendedOrigin = origin;
        lastAppendedSequence = sequence;
        return position;
    }

    void mergePeerVersion(NodeId peer, VersionVector version) {
        VersionVector old = peerVersion(peer);
        VersionVector merged = old.merge(version);
        if (!merged.equals(old)) {
            byte[] vector = new BlazeWriter(64).writeVersionVector(merged).toByteArray();
            files.peers.put(peer.toString(), vector);
            changes.peer(peer.toString(), vector);
        }
    }

    /** Applies the pending changes of live counts to the catalog; under the commit lock only. */
    private void applyLiveCounts() {
        for (Map.Entry<String, long[]> e : pendingLive.entrySet()) {
            CollectionInfo info = catalog.getOrDefault(e.getKey(), CollectionInfo.EMPTY);
            catalog.put(e.getKey(), info.withLive(info.live() + e.getValue()[0]));
            dirtyCatalog.add(e.getKey());
        }
        pendingLive.clear();
    }

    void setIndex(String collection, String field, boolean create) {
        applyLiveCounts();
        checkpointNow = true; // index maps are built or dropped in the MVStore file directly, not logged
        cancelCompaction(); // ... so a copy taken before would miss them
        CollectionInfo info = catalog.getOrDefault(collection, CollectionInfo.EMPTY);
        if (create) {
            int number = (int) nextIndexNumber++; // at most MAX_INDEX_NUMBER: see checkIndexNumberLeft
            files.meta.put("nextIndex", new BlazeWriter(4).writeVarLong(nextIndexNumber).toByteArray());
            MVMap<IndexKey, byte[]> index = files.index(number);
            MVMap<String, byte[]> docs = files.docs(collection, false);
            if (docs != null) {
                for (Iterator<Map.Entry<String, byte[]>> i = Cursors.entries(docs, null, null); i.hasNext(); ) {
                    Map.Entry<String, byte[]> e = i.next();
                    if (!DocumentRecords.isTombstone(e.getValue())) {
                        Document d = DocumentRecords.decodeDocument(collection, e.getKey(), e.getValue());
                        d.fields().get(field).ifPresent(v -> index.put(IndexKey.of(v, e.getKey()), new byte[0]));
                    }
                }
            }
            catalog.put(collection, info.withIndex(field, number));
        } else {
            files.dropIndex(info.indexes().get(field));
            catalog.put(collection, info.withIndex(field, null));
        }
        dirtyCatalog.add(collection);
    }

    /**
     * Called by an index creation's stage, so that it fails alone (a failure while it writes would
     * fail its whole group and reopen the store); under the commit lock only.
     *
     * @throws BlazeException LIMIT_EXCEEDED when every index number has been given out
     */
    void checkIndexNumberLeft() {
        if (nextIndexNumber > MAX_INDEX_NUMBER) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "Store '" + name() + "' has given out every index number (1 to "
                    + MAX_INDEX_NUMBER + ", never reused): no index can be created in it. Export its documents and import them"
                    + " into a new store");
        }
    }

    /** Stops the listeners, commits what is queued and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        feeds.close();
        committer.close();
        completions.close();
        fieldEncoder.close();
    }

    /** Closes the write-ahead log, if it was opened. */
    private void closeLog() throws IOException {
        if (wal != null) {
            wal.close();
        }
    }

    private void cancelCompaction() {
        if (compaction != null) {
            compaction.cancel();
            compaction = null;
        }
    }

    /** The committer's view of this store. */
    private final class Host implements Committer.Host {
        /** Why the store was last reopened, while reopening it has not succeeded; under the commit lock. */
        private Throwable unrecovered;
        /** The message of the last failed retry, logged once. */
        private String lastRetryFailure;

        @Override
        public boolean hasFreeSpace() {
            if (options.minFreeBytes() == 0) {
                return true;
            }
            try {
                return disk.getUsableSpace() >= options.minFreeBytes();
            } catch (IOException e) {
                return true; // cannot tell: let the write try, and fail on its own if the disk is full
            }
        }

        @Override
        public void beginGroup() {
            changes.begin(walSequence + 1);
            groupLogged = false;
        }

        @Override
        public void beforeCommit() {
            StoreFiles f = files;
            byte[] stamp = new BlazeWriter(32).writeHlc(clock.last()).toByteArray();
            byte[] vector = new BlazeWriter(64).writeVersionVector(appliedVersion).toByteArray();
            f.meta.put("clock", stamp);
            f.meta.put("version", vector);
            changes.meta("clock", stamp);
            changes.meta("version", vector);
            applyLiveCounts();
            for (String c : dirtyCatalog) {
                byte[] record = catalog.get(c).encode();
                f.catalog.put(c, record);
                changes.catalog(c, record);
            }
            dirtyCatalog.clear();
        }

        @Override
        public void commit() {
            if (checkpointNow || wal.position() - walPositionAtCheckpoint > CHECKPOINT_LOG_BYTES) {
                checkpoint();
                return;
            }
            if (largeGroup()) {
                // synced by sync() or by deferSync()'s work, which also finish it
                writeCheckpoint();
                checkpointUnsynced = true;
                largeGroupCheckpoints++;
                return;
            }
            try {
                changes.encode(walRecord);
                byte[] record = walRecord.toByteArray();
                wal.append(record, record.length);
                walSequence++;
                groupLogged = true;
                if (options.durability() == Durability.RELAXED) {
                    acknowledgedSequence = walSequence;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /**
         * Whether this group is better committed as a checkpoint than copied into the log: in
         * {@code SYNC} mode, a group whose log record would be large, and whose changed MVStore pages
         * are not much larger than that record (a batch of new or neighbouring documents, not one
         * scattered over the whole file). Its pages are written once, at this checkpoint, instead of
         * to the log now and to the file again at the next checkpoint. Never while a compaction runs:
         * the log must then hold every group since the compaction's snapshot.
         */
        private boolean largeGroup() {
            if (options.durability() != Durability.SYNC || compaction != null) {
                return false;
            }
            long record = changes.estimatedBytes();
            return record >= largeGroupBytes && files.store.getUnsavedMemory() <= LARGE_GROUP_PAGE_FACTOR * record;
        }

        @Override
        public void sync() {
            if (checkpointUnsynced) {
                checkpointUnsynced = false;
                syncCheckpoint();
                return;
            }
            if (!groupLogged && walSequence == checkpointedSequence) {
                return; // everything is in the last checkpoint
            }
            syncLog();
            acknowledgedSequence = walSequence;
        }

        /** fdatasync of the write-ahead log (or the fault a test set instead). */
        private void syncLog() {
            inject(syncFault);
            try {
                wal.sync();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Committer.DeferredSync deferSync() {
            if (checkpointUnsynced) {
                // a large group's checkpoint: written, not yet synced, the log not yet started over
                // (its groups are durable only there until this sync); no compaction runs
                // (largeGroup), and none starts at its end: the next group is applied meanwhile
                checkpointUnsynced = false;
                StoreFiles f = files;
                return deferred(() -> syncFile(f), () -> checkpointSynced(false));
            }
            return groupLogged ? deferred(this::syncLog, () -> { }) : null; // else a checkpoint synced in full by commit()
        }

        /**
         * @param durable makes this commit durable, on the syncer thread
         * @param finish  the bookkeeping after it, under the commit lock
         * @return the deferred sync of the commit just made: it acknowledges and publishes the
         *         commit's group sequence, version and log position as they are now
         */
        private Committer.DeferredSync deferred(Runnable durable, Runnable finish) {
            long sequence = walSequence;
            VersionVector version = appliedVersion;
            long position = appliedPosition;
            return new Committer.DeferredSync() {
                @Override
                public void sync() {
                    durable.run();
                    acknowledgedSequence = sequence;
                    publish(version, position);
                }

                @Override
                public void finish() {
                    finish.run();
                }
            };
        }

        @Override
        public void idle() {
            retired.closeExpired();
            if (checkpointDue()) {
                checkpoint();
            }
        }

        @Override
        public boolean checkpointDue() {
            boolean compactionWaits = compaction != null && (compaction.copied() || compaction.abandoned());
            return (walSequence != checkpointedSequence || compactionWaits) && System.nanoTime() - lastCheckpoint >= checkpointNanos;
        }

        /**
         * Commits and fsyncs the MVStore file with everything applied so far; the log starts over,
         * unless a compaction needs it. Then starts or finishes a compaction.
         */
        private void checkpoint() {
            writeCheckpoint();
            syncCheckpoint();
        }

        /** Syncs the checkpoint {@link #writeCheckpoint} wrote, then does what follows it ({@link #checkpointSynced}). */
        private void syncCheckpoint() {
            syncFile(files);
            checkpointSynced(true);
        }

        /** fsync of the MVStore file at a checkpoint (or the fault a test set instead); records the version synced. */
        private void syncFile(StoreFiles f) {
            inject(fileSyncFault);
            f.store.sync();
            fileSyncedVersion = f.store.getCurrentVersion();
        }

        /** The first half of a checkpoint: the MVStore commit, written to the file, not synced. */
        private void writeCheckpoint() {
            StoreFiles f = files;
            f.meta.put("walSeq", new BlazeWriter(10).writeVarLong(walSequence).toByteArray());
            f.store.commit();
        }

        /**
         * The second half of a checkpoint, once its file is synced: the log starts over, compactions
         * move on.
         *
         * @param mayStartCompaction whether a compaction may start here: its snapshot must be taken
         *                           before any later group is applied
         */
        private void checkpointSynced(boolean mayStartCompaction) {
            StoreFiles f = files;
            checkpointedSequence = walSequence;
            acknowledgedSequence = walSequence;
            checkpointNow = false;
            lastCheckpoint = System.nanoTime();
            try {
                inject(afterCheckpointFault);
                if (compaction != null && compaction.abandoned()) {
                    cancelCompaction();
                }
                if (compaction == null) {
                    restartLog();
                    if (mayStartCompaction && !closing && compactionCheckDue() && FileCompaction.due(f, compactMinBytes, compactMaxLivePercent)) {
                        compaction = FileCompaction.start(f, walSequence, options.cacheSizeMb());
                    }
                } else if (compaction.copied()) {
                    installCompaction();
                } else {
                    walPositionAtCheckpoint = wal.position();
                }
            } catch (RuntimeException e) {
                // every group so far is in the synced file: their writers succeeded, whatever the
                // store must now do to be usable again
                throw new Committer.FailedAfterDurable(e);
            }
        }

        /**
         * Whether a checkpoint interval has passed since the last compaction check (and if so, starts
         * the next interval). The check's cost grows with the file: asked at every checkpoint of a
         * large import, it took up to 9 % of the committing thread.
         */
        private boolean compactionCheckDue() {
            long now = System.nanoTime();
            if (now - lastCompactionCheck < checkpointNanos) {
                return false;
            }
            lastCompactionCheck = now;
            compactionChecks++;
            return true;
        }

        /** Starts the write-ahead log over: everything in it is in the file now. */
        private void restartLog() {
            try {
                wal.restart();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            walPositionAtCheckpoint = 0;
        }

        /** Puts the compacted copy in place and brings it up to this checkpoint from the log. */
        private void installCompaction() {
            FileCompaction done = compaction;
            compaction = null;
            StoreFiles fresh;
            // from the rename on, the file in the folder may be the new one, whose versions are not
            // the current file's: a recovery meanwhile must not roll it back to one of those
            long synced = fileSyncedVersion;
            fileSyncedVersion = -1;
            try {
                fresh = done.install();
            } catch (IOException e) {
                if (Files.exists(files.folder.resolve(StoreFiles.COMPACT_FILE_NAME))) {
                    // not renamed: the current file is still the store's
                    LOG.log(System.Logger.Level.WARNING, "Store '" + name() + "': could not put the compacted file in place", e);
                    fileSyncedVersion = synced;
                    done.cancel();
                    restartLog();
                    return;
                }
                // renamed, but not opened: the store must reopen from disk (Committer recovers)
                throw new java.io.UncheckedIOException(e);
            }
            try {
                done.catchUp(fresh, wal, walSequence);
            } catch (IOException | RuntimeException e) {
                fresh.retire();
                throw e instanceof IOException io ? new java.io.UncheckedIOException(io) : (RuntimeException) e;
            }
            fileSyncedVersion = fresh.store.getCurrentVersion(); // caught up, committed and synced
            restartLog();
            retired.add(files);
            // The document cache stays: the new file holds exactly what the old one held (the copy
            // plus the log's groups up to this checkpoint), so every entry still equals the map.
            files = fresh;
            greatestIds.clear(); // the same ids, but looked up again in the file that holds them now
            compactions++;
        }

        @Override
        public void published() {
            publish(appliedVersion, appliedPosition);
        }

        /** Publishes a commit as durable: listeners, the log's readers and sync see it from now on. */
        private void publish(VersionVector version, long position) {
            durableVersion = version;
            durablePosition = position;
            feeds.wake();
        }

        @Override
        public void recover(Throwable failure) {
            LOG.log(System.Logger.Level.WARNING, "Store '" + name() + "': a commit failed; reopening " + files.folder
                    + " at its last complete commit", failure);
            reopen(failure);
        }

        @Override
        public void retryRecovery() {
            Throwable failure = unrecovered;
            if (failure == null) {
                return;
            }
            try {
                reopen(failure);
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastRetryFailure)) { // not once per idle moment
                    lastRetryFailure = String.valueOf(e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "Store '" + name() + "': reopening " + files.folder
                            + " failed again; retrying before the next write and when idle", e);
                }
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "Store '" + name() + "': reopened " + files.folder + " after failing to earlier");
        }

        /**
         * Reopens the file at its last synced commit and replays the acknowledged log into it. Until
         * that succeeds, {@link #unrecovered} holds the failure, and the committer retries.
         */
        private void reopen(Throwable failure) {
            unrecovered = failure;
            // Readers may have cached documents of the failed group (reads see a group once it is
            // applied): empty the cache, and refuse inserts of values read from the old file.
            // Left refusing if reopening fails: the next recovery starts over.
            cache.beginClear();
            cancelCompaction();
            checkpointUnsynced = false;
            StoreFiles old = files;
            try {
                old.closeImmediately();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            // The folder stays locked (folderLock) while its file is closed: another process opening
            // it now would replay the failed group from the log and write the same files.
            inject(reopenFault);
            // the file as of its last synced commit: a checkpoint whose sync failed is not built on
            StoreFiles reopened = StoreFiles.open(folderLock, options, fileSyncedVersion);
            try {
                // Only groups whose writers were told they succeeded: the failed group may be in the log.
                replayWriteAheadLog(reopened, acknowledgedSequence);
                checkpointNow = false;
                load(reopened);
            } catch (RuntimeException e) {
                reopened.closeImmediately(); // not published: the next recovery opens the folder again
                throw e;
            }
            // Published only now: a reader given the file before the log's groups were replayed into
            // it would find acknowledged documents missing. Readers meanwhile wait (see read).
            files = reopened;
            fileSyncedVersion = reopened.store.getCurrentVersion(); // rolled back, replayed and synced
            recoveries++;
            unrecovered = null;
            lastRetryFailure = null;
            cache.endClear();
            feeds.wake();
        }

        @Override
        public BlazeException map(Throwable failure) {
            return StoreErrors.map(failure, files.folder, "committing a write");
        }

        @Override
        public void shutdown() {
            CloseSteps steps = new CloseSteps(null);
            steps.run(() -> {
                closing = true;
                retryRecovery(); // what is acknowledged is in the log either way; the file is then checkpointed
                if (compaction != null && !compaction.copied()) {
                    cancelCompaction(); // not worth waiting for
                }
                beforeCommit();
                checkpoint();
            });
            // Each of these runs whatever failed before it: a file left open kept its descriptor until
            // the JVM exited (and the folder locked: this process could not open it again).
            boolean checkpointed = steps.failure() == null;
            steps.run(StoreEngine.this::cancelCompaction); // its thread writes a copy in the folder
            steps.run(retired::closeAll);
            StoreFiles f = files;
            steps.run(() -> closeFiles(f, checkpointed));
            steps.run(StoreEngine.this::closeLog);
            steps.run(folderLock::close); // last: nothing of the store is open any more
            if (steps.failure() != null) {
                LOG.log(System.Logger.Level.ERROR, "Store '" + name() + "': closing " + f.folder + " failed (its files are closed"
                        + " all the same; every acknowledged write is in the file or in its write-ahead log, replayed at the next open)", steps.failure());
            }
        }

        /**
         * @param checkpointed whether the final checkpoint succeeded: then the file is closed with
         *                     MVStore's own final commit, else without writing more
         */
        private void closeFiles(StoreFiles f, boolean checkpointed) {
            if (!checkpointed) {
                f.closeImmediately();
                return;
            }
            try {
                f.close();
            } catch (RuntimeException e) {
                f.closeImmediately(); // its file handle, and the folder, are released all the same
                throw e;
            }
        }
    }

    /** @return the last clock stamp issued, for tests */
    Hlc lastStamp() {
        return clock.last();
    }

    Change change(long position, Operation op) {
        return new Change(position, op, op.id().origin().equals(nodeId));
    }

    /**
     * Runs a read on the store's current file, and again on the new one if a {@link FileCompaction}
     * replaced and closed the file meanwhile. Any other storage-engine failure comes out as a
     * {@link BlazeException} ({@link StoreErrors#map}).
     */
    <T> T read(java.util.function.Function<StoreFiles, T> read) {
        while (true) {
            StoreFiles f = files;
            try {
                return read.apply(f);
            } catch (org.h2.mvstore.MVStoreException e) {
                if (e.getErrorCode() != org.h2.mvstore.DataUtils.ERROR_CLOSED) {
                    throw StoreErrors.map(e, f.folder, "reading");
                }
                awaitFilesAfter(f, e);
            }
        }
    }

    /**
     * @return the store's current file, for a cursor starting or resuming; while a failed commit's
     *         recovery replaces a closed file, waits for the reopened one as {@link #read} does
     */
    StoreFiles readableFiles() {
        StoreFiles f = files;
        if (f.store.isClosed()) {
            awaitFilesAfter(f, null);
            return files;
        }
        return f;
    }

    /** How long a read waits for the file a recovery reopens before it gives up. */
    static final long REOPEN_WAIT_NANOS = 30_000_000_000L;

    /**
     * Waits until {@code closed}, found closed by a read, is replaced: by a compaction's new file
     * (already in place) or by the file a failed commit's recovery reopens and replays.
     *
     * @throws BlazeException STORE_CLOSED if the store itself closed, IO_FAILURE if no file came
     */
    private void awaitFilesAfter(StoreFiles closed, RuntimeException cause) {
        long deadline = System.nanoTime() + REOPEN_WAIT_NANOS;
        while (files == closed) {
            checkOpen();
            if (System.nanoTime() - deadline > 0) {
                throw new BlazeException(ErrorCode.IO_FAILURE, "Store '" + name() + "': its file in " + closed.folder
                        + " was closed to recover from a failed commit and was not reopened within "
                        + REOPEN_WAIT_NANOS / 1_000_000_000L + " s", cause);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
        }
    }

    Optional<Document> get(String collection, String id, boolean includeDeleted) {
        checkOpen();
        String key = Names.id(id);
        Document document = cache.get(collection, key);
        if (document == null) {
            long ticket = cache.ticket(collection, key); // before the map is read: see DocumentCache
            byte[] record = read(f -> {
                MVMap<String, byte[]> docs = f.docs(collection, false);
                return docs == null ? null : docs.get(key);
            });
            if (record == null) {
                return Optional.empty();
            }
            if (!cache.enabled() && !includeDeleted && DocumentRecords.isTombstone(record)) {
                return Optional.empty(); // nothing to cache: skip decoding
            }
            document = DocumentRecords.decodeDocument(collection, key, record);
            cache.offer(ticket, document, record.length);
        }
        return document.deleted() && !includeDeleted ? Optional.empty() : Optional.of(document);
    }

    /** @return the counters of the cache of decoded documents */
    public DocumentCacheStats documentCacheStats() {
        return cache.stats();
    }
}
