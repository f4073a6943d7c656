package org.blazedb.store.impl;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.Patch;
import org.blazedb.api.WriteBatch;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * The child process of {@link CrashTest}: writes continuously from several threads and prints one
 * line per acknowledged write, {@code ACK <sequence> <id> <kind> <w> $}, until it is killed (an
 * import's batches in flight print theirs when their futures complete). With {@code failing}, one
 * checkpoint fsync in four fails, and each write the store reports as failed prints {@code FAILED
 * <id> <w> $}; the work after one synced checkpoint in four fails too (writes acknowledged).
 * Each thread owns its own ids, so the last acknowledged write of an id is known exactly.
 */
public final class CrashWriter {
    /** Failures injected after a synced checkpoint, in {@code failing} mode. */
    private static final AtomicInteger afterCheckpointFaults = new AtomicInteger();

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        int threads = Integer.parseInt(args[1]);
        boolean compacting = args.length > 2 && args[2].equals("compact");
        boolean failing = args.length > 2 && args[2].equals("failing");
        StoreEngine store = StoreEngine.open(StoreOptions.defaults("crash", folder));
        if (failing) {
            // one checkpoint fsync in four fails, as on a disk that fills up: the store rolls the
            // file back and reopens; the writes it fails are reported (FAILED) and must never appear
            Random faults = new Random();
            store.fileSyncFault = () -> {
                if (faults.nextInt(4) == 0) {
                    throw new java.io.IOException("No space left on device (injected)");
                }
            };
            // and the work after one synced checkpoint in four fails: the store reopens, and the
            // writes in that checkpoint are acknowledged all the same (ACK), so must be found
            store.afterCheckpointFault = () -> {
                if (faults.nextInt(4) == 0) {
                    afterCheckpointFaults.incrementAndGet();
                    throw new java.io.IOException("Input/output error after the checkpoint (injected)");
                }
            };
        }
        if (compacting) {
            // checkpoint after (nearly) every group and compact small files: the kills then land
            // in every phase of FileCompaction
            store.checkpointNanos = 5_000_000L;
            store.compactMinBytes = 256 << 10;
        }
        Thread monitor = new Thread(() -> {
            while (true) {
                synchronized (out) {
                    out.println("COMPACTIONS " + store.compactions);
                    out.println("LARGE " + store.largeGroupCheckpoints);
                    out.println("AFTER " + afterCheckpointFaults.get());
                    out.flush();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        monitor.setDaemon(true);
        monitor.start();
        long startSeq = store.version().get(store.nodeId());
        synchronized (out) {
            out.println("READY " + startSeq);
            out.flush();
        }
        Thread[] workers = new Thread[threads + 2];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> write(store, me, out));
            workers[t].start();
        }
        if (!compacting) {
            // and one writer of large batches, whose groups are committed as checkpoints, not logged;
            // not while compacting: its log records (every batch adds 300 KiB of live log) would make
            // each copy outlast the cycle, and no compaction would ever be installed before the kill
            workers[threads] = new Thread(() -> writeBatches(store, out));
            workers[threads].start();
        }
        // and an import with batches in flight (Store.writeAsync): its groups' syncs are deferred
        // while the next group is staged; when compacting, one batch of 5 small documents at a time
        // over a fixed set of ids (flat out, 4 in flight, it tripled a cycle's writes, and each copy
        // then outlasted most cycles, as above); the other writers' groups are staged during its syncs
        workers[threads + 1] = new Thread(() -> importBatches(store, out, !compacting));
        workers[threads + 1].start();
        for (Thread w : workers) {
            if (w != null) {
                w.join();
            }
        }
    }

    /**
     * In turn: rewrites the same 300 documents (about 600 KiB of records per batch); creates 300 new
     * documents whose ids are greater than every id so far (appended to the map's page buffer, and
     * committed as a checkpoint); creates 20 such small documents (appended too, but logged).
     */
    private static void writeBatches(StoreEngine store, PrintStream out) {
        long w = System.nanoTime();
        String pad = "b".repeat(1000);
        for (long round = 0; ; round++) {
            w++;
            WriteBatch batch = new WriteBatch();
            int kind = (int) (round % 3);
            for (int i = 0; i < (kind == 2 ? 20 : BATCH); i++) {
                String id = kind == 0 ? "b-" + i : String.format(java.util.Locale.ROOT, "z-%019d-%03d", w, i);
                batch.put("crash", id, MapValue.builder().put("w", w).put("pad", kind == 2 ? "s" : pad).build());
            }
            List<Document> done;
            try {
                done = store.write(batch);
            } catch (BlazeException e) {
                reportFailed(out, batch, w);
                continue;
            }
            synchronized (out) {
                for (Document d : done) {
                    out.println("ACK " + d.lastOp().sequence() + " " + d.id() + " PUT " + w + " $");
                }
                out.flush();
            }
        }
    }

    /** Reports each write of a batch that failed: its documents must never carry {@code w}. */
    private static void reportFailed(PrintStream out, WriteBatch batch, long w) {
        synchronized (out) {
            for (var m : batch.mutations()) {
                out.println("FAILED " + m.documentId() + " " + w + " $");
            }
            out.flush();
        }
    }

    private static final int BATCH = 300;
    /** The import's batches in flight. */
    private static final int IN_FLIGHT = 4;

    /**
     * Imports documents with {@link StoreEngine#writeAsync}. If {@code large}: {@value #IN_FLIGHT}
     * batches in flight of new documents (ids greater than every id so far), in turn 300 of about 1 KB
     * (committed as checkpoints, whose syncs are deferred) and 20 small ones (logged, their log syncs
     * deferred); else one batch at a time of 5 small ones over a fixed set of 60 ids. Prints each document's
     * ACK once its batch's future completes.
     */
    private static void importBatches(StoreEngine store, PrintStream out, boolean large) {
        String pad = "i".repeat(1000);
        java.util.ArrayDeque<java.util.concurrent.CompletableFuture<List<Document>>> inFlight = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Long> stamps = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<WriteBatch> batches = new java.util.ArrayDeque<>();
        for (long round = 0; ; round++) {
            long w = System.nanoTime();
            int size = !large ? 5 : round % 2 == 0 ? BATCH : 20;
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < size; i++) {
                String id = large ? String.format(java.util.Locale.ROOT, "y-%019d-%03d", w, i) : "y-" + (round * size + i) % 60;
                batch.put("crash", id, MapValue.builder().put("w", w).put("pad", size == 20 ? "s" : pad).build());
            }
            inFlight.add(store.writeAsync(batch));
            stamps.add(w);
            batches.add(batch);
            if (inFlight.size() == (large ? IN_FLIGHT : 1)) {
                List<Document> done;
                long stamp = stamps.remove();
                WriteBatch submitted = batches.remove();
                try {
                    done = inFlight.remove().join();
                } catch (java.util.concurrent.CompletionException e) {
                    reportFailed(out, submitted, stamp);
                    continue;
                }
                StringBuilder lines = new StringBuilder();
                for (Document d : done) {
                    lines.append("ACK ").append(d.lastOp().sequence()).append(' ').append(d.id()).append(" PUT ").append(stamp).append(" $\n");
                }
                synchronized (out) {
                    out.print(lines);
                    out.flush();
                }
            }
        }
    }

    private static void write(StoreEngine store, int thread, PrintStream out) {
        Random random = new Random();
        long w = System.nanoTime();
        while (true) {
            String id = "t" + thread + "-" + random.nextInt(20);
            w++;
            int dice = random.nextInt(10);
            Document d;
            String kind;
            boolean live = store.collection("crash").get(id).isPresent();
            try {
                if (dice < 5 || (!live && dice < 8)) {
                    kind = "PUT";
                    d = store.collection("crash").put(id, MapValue.builder().put("w", w).put("pad", "x".repeat(random.nextInt(200))).build());
                } else if (dice < 8) {
                    kind = "PATCH";
                    d = store.collection("crash").patch(id, Patch.builder().set("w", Value.of(w)).unset("pad").build());
                } else {
                    kind = "DELETE";
                    List<Document> r = store.write(new WriteBatch().delete("crash", id));
                    d = r.get(0);
                }
            } catch (BlazeException e) {
                synchronized (out) {
                    out.println("FAILED " + id + " " + w + " $"); // a delete's too: no operation carries its w
                    out.flush();
                }
                continue;
            }
            synchronized (out) {
                out.println("ACK " + d.lastOp().sequence() + " " + id + " " + kind + " " + w + " $");
                out.flush();
            }
        }
    }
}
