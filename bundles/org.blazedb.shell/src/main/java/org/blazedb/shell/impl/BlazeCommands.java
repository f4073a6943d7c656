package org.blazedb.shell.impl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.ChangeListener;
import org.blazedb.api.Collection;
import org.blazedb.api.Cursor;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Patch;
import org.blazedb.api.Query;
import org.blazedb.api.Store;
import org.blazedb.api.dto.DocumentCacheDTO;
import org.blazedb.codec.JsonCodec;
import org.blazedb.codec.Limits;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code blaze:*} data commands. Each works on the store named "default" unless
 * {@code -s NAME} picks another. Documents are JSON objects; in JSON lines (import, export, find,
 * get) the id is the field {@code _id}. Errors end the command with one line:
 * {@code E<number> <CODE>: what happened and what to do}.
 */
@Component(service = BlazeCommands.class, property = {
        "osgi.command.scope=blaze",
        "osgi.command.function=put", "osgi.command.function=patch", "osgi.command.function=get",
        "osgi.command.function=del", "osgi.command.function=find", "osgi.command.function=count",
        "osgi.command.function=collections", "osgi.command.function=index", "osgi.command.function=stores",
        "osgi.command.function=watch", "osgi.command.function=import", "osgi.command.function=export",
        "osgi.command.function=cache"})
public final class BlazeCommands {
    /** Documents per commit when importing. */
    static final int IMPORT_BATCH = 1000;
    /**
     * Import batches in flight: the store stages one while the one before is synced, and the command
     * parses the next meanwhile (4 imported fastest in {@code StoreVsSqlite}, docs/performance.md).
     */
    static final int IMPORT_IN_FLIGHT = 4;
    /**
     * The longest line import reads, in bytes. A document's JSON is longer than its stored form
     * (digits, quotes, escapes such as {@code \u0001} for one byte), so the bound is a multiple of
     * the store's; it is there so that a file with no line ends fails with a clear error instead
     * of filling the node's heap.
     */
    static final int IMPORT_MAX_LINE_BYTES = 4 * Limits.MAX_DOCUMENT_BYTES;
    private static final String DEFAULT_STORE = "default";

    /** How long after activation a command waits for a store that is not registered yet. */
    static final long STARTUP_WAIT_NANOS = 15_000_000_000L;

    private final BundleContext context;
    private final List<Store> stores = new CopyOnWriteArrayList<>();
    private final long deadline;
    /** How often import and export redraw their progress bars; tests lower it. */
    long progressRedrawNanos = Progress.REDRAW_NANOS;

    /** @param context for registering the listener of {@code watch} */
    @Activate
    public BlazeCommands(BundleContext context) {
        this(context, STARTUP_WAIT_NANOS);
    }

    BlazeCommands(BundleContext context, long startupWaitNanos) {
        this.context = context;
        this.deadline = System.nanoTime() + startupWaitNanos;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeStore")
    void addStore(Store store) {
        synchronized (stores) {
            stores.add(store);
            stores.notifyAll();
        }
    }

    void removeStore(Store store) {
        stores.remove(store);
    }

    /** A command failure: one line, with the error's number and code. */
    static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandException(BlazeException e) {
            super(e.toString(), null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    private static <T> T run(Body<T> body) throws Exception {
        try {
            return body.run();
        } catch (BlazeException e) {
            throw new CommandException(e);
        } catch (Error e) {
            // Gogo would report an Error only as "InvocationTargetException": say what it was.
            throw new IllegalStateException(e.toString(), e);
        }
    }

    Store store(String name) {
        // Right after start-up (a script piped into ./blaze run) a configured store may still be on its way.
        synchronized (stores) {
            while (true) {
                for (Store s : stores) {
                    if (s.name().equals(name)) {
                        return s;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    stores.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<String> names = stores.stream().map(Store::name).sorted().toList();
        throw new BlazeException(ErrorCode.NOT_FOUND, "No store named '" + name + "'" + (names.isEmpty()
                ? ": none is running (a store that failed to start printed why on the console; to add one, create a factory configuration of org.blazedb.store)" : "; the stores are " + names + " (pick one with -s NAME)"));
    }

    /** @return an existing collection of the store; NOT_FOUND naming the existing ones otherwise */
    private Collection existing(String storeName, String collection) {
        Store s = store(storeName);
        Collection c = s.collection(collection);
        if (!s.collectionNames().contains(collection)) {
            throw new BlazeException(ErrorCode.NOT_FOUND, "Unknown collection '" + collection + "' in store '" + s.name()
                    + "'; its collections are " + s.collectionNames() + " (a collection starts with its first put)");
        }
        return c;
    }

    private static String text(Object json) {
        // Gogo hands over {...} as a closure; its text is the JSON the user typed.
        return String.valueOf(json).strip();
    }

    /** @param store store name @param collection collection @param id document id @param json fields @return the stored document */
    @Descriptor("Store a whole document (replacing any with the same id)")
    public String put(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                      @Descriptor("the collection") String collection,
                      @Descriptor("the document id") String id,
                      @Descriptor("the document, a JSON object such as {\"title\":\"hi\"} (an \"_id\" in it must be the id)") Object json) throws Exception {
        return run(() -> JsonLines.write(store(store).collection(collection).put(id, JsonLines.fieldsFor(id, Expressions.document(text(json))))));
    }

    /** @return the patched document */
    @Descriptor("Set and remove some fields of a document")
    public String patch(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                        @Descriptor("fields to remove, comma-separated") @Parameter(names = {"-u", "--unset"}, absentValue = "") String unset,
                        @Descriptor("the collection") String collection,
                        @Descriptor("the document id") String id,
                        @Descriptor("the fields to set, a JSON object (an \"_id\" in it must be the id)") Object json) throws Exception {
        return run(() -> {
            Patch.Builder p = Patch.builder();
            JsonLines.fieldsFor(id, Expressions.document(text(json))).entries().forEach(p::set);
            Arrays.stream(unset.split(",")).map(String::strip).filter(f -> !f.isEmpty()).forEach(p::unset);
            Document patched = existing(store, collection).patch(id, p.build());
            // the patch is committed: say so, rather than fail on a field "_id" it left in place
            return JsonLines.hasIdField(patched) ? "patched " + collection + "/" + id + "; " + JsonLines.idFieldProblem(patched)
                    : JsonLines.write(patched);
        });
    }

    /** @return the document as a JSON line */
    @Descriptor("Show a document")
    public String get(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                      @Descriptor("the collection") String collection,
                      @Descriptor("the document id") String id) throws Exception {
        return run(() -> JsonLines.write(existing(store, collection).get(id).orElseThrow(() -> new BlazeException(ErrorCode.NOT_FOUND,
                "No document '" + id + "' in collection '" + collection + "'"))));
    }

    /** @return what was deleted */
    @Descriptor("Delete a document (a tombstone is kept so that the delete replicates)")
    public String del(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                      @Descriptor("the collection") String collection,
                      @Descriptor("the document id") String id) throws Exception {
        return run(() -> {
            if (!existing(store, collection).delete(id)) {
                throw new BlazeException(ErrorCode.NOT_FOUND, "No document '" + id + "' in collection '" + collection + "' to delete");
            }
            return "deleted " + collection + "/" + id;
        });
    }

    /** @return the number of matches, after printing them */
    @Descriptor("Find documents: filters such as age>=18 name=\"Ann\", an order and a limit; prints JSON lines")
    public String find(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                       @Descriptor("order by this field") @Parameter(names = {"-o", "--order"}, absentValue = "") String order,
                       @Descriptor("order from greatest to least") @Parameter(names = {"-d", "--desc"}, absentValue = "false", presentValue = "true") boolean desc,
                       @Descriptor("the most results, -1 for all") @Parameter(names = {"-l", "--limit"}, absentValue = "-1") long limit,
                       @Descriptor("the collection") String collection,
                       @Descriptor("filters: field=value, field>value, field>=value, field<value, field<=value (values are JSON)") String... filters) throws Exception {
        return run(() -> {
            Query.Builder q = Query.builder().limit(limit < 0 ? Query.NO_LIMIT : limit);
            for (String f : filters) {
                q.where(Expressions.filter(f));
            }
            if (!order.isEmpty()) {
                q.orderBy(order, desc);
            }
            long n = 0;
            PrintStream out = System.out;
            try (Cursor<Document> c = existing(store, collection).find(q.build())) {
                while (c.hasNext()) {
                    out.println(JsonLines.write(c.next()));
                    n++;
                }
            }
            return n + (n == 1 ? " document" : " documents");
        });
    }

    /** @return the number of live documents */
    @Descriptor("Count the documents of a collection")
    public long count(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                      @Descriptor("the collection") String collection) throws Exception {
        return run(() -> existing(store, collection).count());
    }

    /** @return one line per collection: name, documents, indexes */
    @Descriptor("List the collections of a store with their document counts and indexes")
    public String collections(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store) throws Exception {
        return run(() -> {
            Store s = store(store);
            StringBuilder b = new StringBuilder(String.format("%-30s %12s  %s%n", "COLLECTION", "DOCUMENTS", "INDEXES"));
            for (String name : s.collectionNames()) {
                Collection c = s.collection(name);
                b.append(String.format("%-30s %12d  %s%n", name, c.count(), String.join(",", c.indexes())));
            }
            return b.toString().stripTrailing();
        });
    }

    /** @return what was done */
    @Descriptor("Create (or with --drop, drop) a secondary index on a top-level field")
    public String index(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                        @Descriptor("drop the index instead") @Parameter(names = {"--drop"}, absentValue = "false", presentValue = "true") boolean drop,
                        @Descriptor("the collection") String collection,
                        @Descriptor("the field") String field) throws Exception {
        return run(() -> {
            Collection c = store(store).collection(collection);
            if (drop) {
                return c.dropIndex(field) ? "dropped index " + collection + "." + field : "no index on " + collection + "." + field;
            }
            c.createIndex(field);
            return "index " + collection + "." + field;
        });
    }

    /** @return the document cache's size and counters */
    @Descriptor("Show the store's cache of decoded documents: size, hits, misses, evictions")
    public String cache(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store) throws Exception {
        return run(() -> {
            DocumentCacheDTO c = store(store).documentCache();
            if (c.maxBytes == 0) {
                return "document cache off (document.cache.mb = 0); " + c.misses + " reads";
            }
            long reads = c.hits + c.misses;
            return String.format(java.util.Locale.ROOT, "document cache  %,d documents, %,d of %,d KiB (estimated)%n"
                    + "reads           %,d: %,d hits (%.1f %%), %,d misses%n"
                    + "evictions       %,d; not cached because of a concurrent write: %,d",
                    c.entries, kibRoundedUp(c.bytes), c.maxBytes >> 10, reads, c.hits, reads == 0 ? 0.0 : 100.0 * c.hits / reads, c.misses,
                    c.evictions, c.refused);
        });
    }

    /** @return {@code bytes} in KiB, rounded up: a cache holding a small document does not show 0 KiB */
    static long kibRoundedUp(long bytes) {
        return (bytes + 1023) >> 10;
    }

    /** @return the store names with node ids */
    @Descriptor("List the stores")
    public String stores() {
        Map<String, String> rows = new TreeMap<>();
        for (Store s : stores) {
            rows.put(s.name(), s.nodeId() + "  " + s.collectionNames().size() + " collections");
        }
        StringBuilder b = new StringBuilder();
        rows.forEach((n, r) -> b.append(String.format("%-20s %s%n", n, r)));
        return b.toString().stripTrailing();
    }

    /** @return how many changes were shown */
    @Descriptor("Print changes as they are committed, until the count or time is reached (Ctrl-C stops the whole node: the shell has no job control)")
    public String watch(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                        @Descriptor("stop after this many changes, 0 for no limit") @Parameter(names = {"-n", "--count"}, absentValue = "0") long count,
                        @Descriptor("stop after this many seconds, 0 for no limit") @Parameter(names = {"-t", "--timeout"}, absentValue = "0") long seconds,
                        @Descriptor("replay from the first change instead of starting now") @Parameter(names = {"-a", "--all"}, absentValue = "false", presentValue = "true") boolean all,
                        @Descriptor("the collections to watch, all when none") String... collections) throws Exception {
        return run(() -> {
            Store s = store(store);
            WatchQueue listener = new WatchQueue(all);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(ChangeListener.STORE_NAME, s.name());
            if (collections.length > 0) {
                props.put(ChangeListener.COLLECTIONS, collections);
            }
            ServiceRegistration<ChangeListener> reg = context.registerService(ChangeListener.class, listener, props);
            long shown = 0;
            long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            try {
                while ((count == 0 || shown < count) && System.nanoTime() < deadline) {
                    Change c = listener.poll(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                    if (c != null) {
                        System.out.println(describe(c));
                        shown++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                listener.close(); // first: unregistering waits for the store's delivery thread
                reg.unregister();
            }
            return shown + (shown == 1 ? " change" : " changes");
        });
    }

    static String describe(Change c) {
        var op = c.operation();
        String body = switch (op.kind()) {
            case PUT -> JsonCodec.write(op.fields());
            case PATCH -> JsonCodec.write(op.fields()) + (op.unset().isEmpty() ? "" : " unset " + op.unset());
            case DELETE -> "";
        };
        return String.format("#%d %s %s/%s %s %s%s", c.position(), op.kind(), op.collection(), op.documentId(), body,
                c.local() ? "local" : "from " + op.id().origin(), "").replace("  ", " ").stripTrailing();
    }

    /** @return the count, time and rate */
    @Descriptor("Import a JSON-lines file (one object per line, its id in \"_id\") in batches of 1,000, "
            + IMPORT_IN_FLIGHT + " in flight, each counted once durable")
    public String _import(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                             @Descriptor("the collection") String collection,
                             @Descriptor("the file") String file) throws Exception {
        return run(() -> {
            Store s = store(store);
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw new BlazeException(ErrorCode.NOT_FOUND, "Cannot read '" + path.toAbsolutePath() + "'");
            }
            Progress progress = new Progress(System.out, "imported", Files.size(path), progressRedrawNanos);
            return progress.finishAfter(() -> new JsonLinesImport(s, collection, path, progress).run());
        });
    }

    /** @return the count, time and rate */
    @Descriptor("Export a collection to a JSON-lines file (one object per line, its id in \"_id\")")
    public String export(@Descriptor("the store") @Parameter(names = {"-s", "--store"}, absentValue = DEFAULT_STORE) String store,
                             @Descriptor("the collection") String collection,
                             @Descriptor("the file, replaced if it exists") String file) throws Exception {
        return run(() -> {
            Collection c = existing(store, collection);
            Progress progress = new Progress(System.out, "exported", c.count(), progressRedrawNanos);
            return progress.finishAfter(() -> exportTo(c, file, progress));
        });
    }

    /** Writes the collection's documents to the file, one JSON line each, advancing the progress. */
    private static void exportTo(Collection c, String file, Progress progress) {
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8);
             Cursor<Document> docs = c.scan("")) {
            while (docs.hasNext()) {
                Document d = docs.next();
                if (JsonLines.hasIdField(d)) {
                    // checked before its line: the file ends with whole lines, each of which import reads back
                    throw new BlazeException(ErrorCode.INVALID_VALUE, JsonLines.idFieldProblem(d) + ", then export again (the export"
                            + " stopped at it; documents written to " + file + " before it: " + written + ")");
                }
                out.write(JsonLines.write(d));
                out.newLine();
                written++;
                progress.advance(1);
            }
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.IO_FAILURE, "Cannot write '" + file + "': " + e.getMessage());
        }
    }
}
