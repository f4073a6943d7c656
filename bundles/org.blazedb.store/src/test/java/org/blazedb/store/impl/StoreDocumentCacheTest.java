package org.blazedb.store.impl;

import static org.blazedb.store.impl.StoreEngineTest.doc;
import static org.blazedb.store.impl.StoreEngineTest.drain;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Change;
import org.blazedb.api.Collection;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Hlc;
import org.blazedb.api.Operation;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The document cache inside the store: reads through it are what reading the map gives, across
 * local writes, deletes, remote applies, a failed commit, a restart, and under concurrent readers
 * and writers.
 */
class StoreDocumentCacheTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    private StoreEngine open(String name, StoreOptions options) {
        return stores.open(options);
    }

    private StoreEngine open(String name) {
        return open(name, StoreOptions.defaults(name, dir.resolve(name)));
    }

    @Test
    void aRepeatedReadIsAHitAndAWriteIsSeenAtOnce() {
        StoreEngine s = open("a");
        Collection c = s.collection("c");
        c.put("x", doc("v", 1));
        assertEquals(doc("v", 1), c.get("x").orElseThrow().fields());
        assertEquals(doc("v", 1), c.get("x").orElseThrow().fields());
        assertEquals(1, s.documentCacheStats().hits());
        Document written = c.put("x", doc("v", 2));
        assertEquals(written, c.get("x").orElseThrow(), "the new version, with its stamp and operation");
        c.patch("x", org.blazedb.api.Patch.builder().set("w", org.blazedb.api.value.Value.of(3L)).build());
        assertEquals(doc("v", 2, "w", 3), c.get("x").orElseThrow().fields());
        assertEquals(c.get("x"), c.get("x"));
    }

    @Test
    void aDeletedDocumentIsAbsentAndItsTombstoneVisibleWhenAskedFor() {
        StoreEngine s = open("a");
        Collection c = s.collection("c");
        c.put("x", doc("v", 1));
        c.get("x");
        c.getIncludingDeleted("x");
        assertTrue(c.delete("x"));
        assertEquals(Optional.empty(), c.get("x"));
        Document tombstone = c.getIncludingDeleted("x").orElseThrow();
        assertTrue(tombstone.deleted());
        assertEquals(Optional.empty(), c.get("x"), "also when the tombstone is cached");
        assertEquals(tombstone, c.getIncludingDeleted("x").orElseThrow());
        Document again = c.put("x", doc("v", 5));
        assertEquals(again, c.get("x").orElseThrow());
        assertEquals(again, c.getIncludingDeleted("x").orElseThrow());
    }

    @Test
    void aRemoteApplyReplacesTheCachedVersion() {
        StoreEngine a = open("a");
        StoreEngine b = open("b");
        b.collection("c").put("x", doc("v", 0));
        assertEquals(doc("v", 0), b.collection("c").get("x").orElseThrow().fields()); // cached on b
        // a receives b's write before its own, so its write is causally later and wins by any
        // clock; written independently in the same millisecond, the node ids would decide
        a.apply(b.nodeId(), drain(b.log().read(0)).stream().map(Change::operation).toList(), ReplicaTest.LWW);
        a.collection("c").put("x", doc("v", 1));
        a.collection("c").put("y", doc("v", 1));
        List<Operation> ops = drain(a.log().read(0)).stream().map(Change::operation).toList();
        b.apply(a.nodeId(), ops, ReplicaTest.LWW);
        assertEquals(doc("v", 1), b.collection("c").get("x").orElseThrow().fields(), "the later write won and is what b reads");
        assertEquals(doc("v", 1), b.collection("c").get("y").orElseThrow().fields());
        a.collection("c").delete("y");
        List<Operation> more = drain(a.log().read(2)).stream().map(Change::operation).toList();
        b.apply(a.nodeId(), more, ReplicaTest.LWW);
        assertEquals(Optional.empty(), b.collection("c").get("y"));
    }

    /**
     * Reads see a group once it is applied, before it is durable: a reader can cache a version
     * whose commit then fails. The store reopens its file at the last good commit, and the cache
     * must not keep that version.
     */
    @Test
    void aVersionOfAFailedCommitIsNotServedAfterTheRecovery() {
        StoreEngine s = open("a");
        Collection c = s.collection("c");
        c.put("x", doc("v", 1));
        AtomicBoolean once = new AtomicBoolean(true);
        AtomicReference<Optional<Document>> seenBeforeFailure = new AtomicReference<>();
        s.syncFault = () -> {
            if (once.getAndSet(false)) {
                seenBeforeFailure.set(c.get("x")); // applied, not yet durable: read and cached
                throw new java.io.IOException("No space left on device");
            }
        };
        BlazeException e = assertThrows(BlazeException.class, () -> c.put("x", doc("v", 2)));
        assertEquals(ErrorCode.DISK_FULL, e.code());
        assertEquals(doc("v", 2), seenBeforeFailure.get().orElseThrow().fields(), "the reader had the failed version");
        assertEquals(doc("v", 1), c.get("x").orElseThrow().fields(), "after the recovery, the last committed version");
        assertEquals(doc("v", 1), c.get("x").orElseThrow().fields());
        c.put("x", doc("v", 3));
        assertEquals(doc("v", 3), c.get("x").orElseThrow().fields(), "the cache works again after the recovery");
    }

    @Test
    void aRestartStartsEmptyAndReadsWhatWasWritten() {
        StoreEngine s = open("a");
        s.collection("c").put("x", doc("v", 1));
        s.collection("c").get("x");
        s.close();
        stores.forget();
        StoreEngine again = open("a");
        assertEquals(0, again.documentCacheStats().entries());
        assertEquals(doc("v", 1), again.collection("c").get("x").orElseThrow().fields());
        again.collection("c").put("x", doc("v", 2));
        assertEquals(doc("v", 2), again.collection("c").get("x").orElseThrow().fields());
    }

    @Test
    void sizeZeroTurnsTheCacheOff() {
        StoreEngine s = open("a", StoreOptions.defaults("a", dir.resolve("a")).withDocumentCacheMb(0));
        s.collection("c").put("x", doc("v", 1));
        s.collection("c").delete("x");
        s.collection("c").put("y", doc("v", 1));
        assertEquals(Optional.empty(), s.collection("c").get("x"));
        assertTrue(s.collection("c").getIncludingDeleted("x").orElseThrow().deleted());
        assertEquals(doc("v", 1), s.collection("c").get("y").orElseThrow().fields());
        assertEquals(new DocumentCacheStats(0, 0, 0, 0, 0, 0, 0), s.documentCacheStats());
    }

    /**
     * Writers put and delete documents while readers read them; the cache is small, so entries are
     * evicted throughout. Every read must show a version no older than the one this reader saw
     * before, nor than the one whose write had returned before the read started. Bounded by the
     * number of writes, not by time.
     */
    @Test
    void concurrentReadersNeverSeeAVersionGoBack() throws Exception {
        int docs = 600;
        int writesPerWriter = 1500;
        int writers = 2;
        StoreEngine s = open("a", StoreOptions.defaults("a", dir.resolve("a")).withDurability(Durability.RELAXED).withDocumentCacheMb(1));
        Collection c = s.collection("c");
        String pad = "p".repeat(2000); // 600 documents of 2 KB: more than the 1 MiB cache holds
        WriteBatch first = new WriteBatch();
        for (int i = 0; i < docs; i++) {
            first.put("c", "d" + i, MapValue.builder().put("v", 0L).put("pad", pad).build());
        }
        AtomicReferenceArray<Hlc> published = new AtomicReferenceArray<>(docs);
        List<Document> created = s.write(first);
        for (int i = 0; i < docs; i++) {
            published.set(i, created.get(i).version());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            threads.add(new Thread(() -> {
                Random r = new Random(me);
                try {
                    for (int n = 1; n <= writesPerWriter && failure.get() == null; n++) {
                        int i = r.nextInt(docs / writers) * writers + me; // each writer owns its documents
                        if (r.nextInt(4) == 0) {
                            i = r.nextInt(5) * writers + me; // and often the same few, to race on them
                        }
                        String id = "d" + i;
                        WriteBatch b = new WriteBatch();
                        if (r.nextInt(8) == 0) {
                            b.delete("c", id);
                        } else {
                            b.put("c", id, MapValue.builder().put("v", (long) n).put("pad", pad).build());
                        }
                        Document result = s.write(b).get(0);
                        published.set(i, result.version());
                        Document read = c.getIncludingDeleted(id).orElseThrow();
                        assertEquals(result.version(), read.version(), id + ": the writer reads its own write");
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "writer-" + w));
        }
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int me = t;
            readers.add(new Thread(() -> {
                Random r = new Random(100 + me);
                Hlc[] seen = new Hlc[docs];
                try {
                    while (!done.get() && failure.get() == null) {
                        int i = r.nextBoolean() ? r.nextInt(10) : r.nextInt(docs);
                        Hlc returned = published.get(i);
                        Document d = c.getIncludingDeleted("d" + i).orElseThrow();
                        Hlc floor = seen[i] == null || returned.compareTo(seen[i]) > 0 ? returned : seen[i];
                        if (d.version().compareTo(floor) < 0) {
                            throw new AssertionError("d" + i + " went back to " + d.version() + " after " + floor);
                        }
                        seen[i] = d.version();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "reader-" + t));
        }
        readers.forEach(Thread::start);
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(5));
            assertFalse(t.isAlive(), "the writers finished within 5 minutes");
        }
        done.set(true);
        for (Thread t : readers) {
            t.join(TimeUnit.MINUTES.toMillis(1));
        }
        if (failure.get() != null) {
            throw new AssertionError("a reader or writer failed", failure.get());
        }
        // Every cached document equals the map's record.
        for (int i = 0; i < docs; i++) {
            String id = "d" + i;
            byte[] record = s.files.docs("c", false).get(id);
            assertEquals(DocumentRecords.decodeDocument("c", id, record), c.getIncludingDeleted(id).orElseThrow(), id);
            assertEquals(published.get(i), c.getIncludingDeleted(id).orElseThrow().version(), id);
        }
        DocumentCacheStats stats = s.documentCacheStats();
        assertTrue(stats.hits() > 0, stats.toString());
        assertTrue(stats.evictions() > 0, stats.toString());
        assertTrue(stats.bytes() <= 1 << 20, "within its bound after the run: " + stats);
    }
}
