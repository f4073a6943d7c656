package org.blazedb.bench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.blazedb.api.Collection;
import org.blazedb.bench.ProcessFigures;
import org.blazedb.bench.ThreadCounters;
import org.blazedb.codec.BlazeBinary;
import org.blazedb.store.impl.StoreEngine;
import org.blazedb.store.impl.StoreOptions;

/**
 * Durable one-document commits at a steady pace, as a live sync write makes them on each side:
 * one writer puts a document of about 200 bytes every {@code 1/rate} s into a store in the default
 * durability mode (each put returns once fdatasynced), and the same into SQLite (WAL,
 * {@code synchronous=FULL}, one transaction per insert), in alternating rounds. Reports, per
 * round and as medians, each commit's latency (p50, p99, max) and the writer thread's context
 * switches per commit: a lone writer leads its own group commit, so its switches are the commit's
 * waits, the fdatasync's among them, plus the one sleep of the pacing.
 *
 * <p>Unlike {@code StoreVsSqlite commit1}, which commits back to back, a paced commit finds the disk
 * idle, which is when this machine's fdatasync is slowest. Usage:
 * {@code java -cp bench/target/benchmarks.jar org.blazedb.bench.store.PacedCommits [rate] [seconds]
 * [rounds] [DIR]} (defaults 1,000/s, 5 s, 3 rounds, the temporary folder).
 */
public final class PacedCommits {
    private static final String WRITER = "paced-writer";

    private PacedCommits() {
    }

    /** One round's figures. */
    private record Round(long p50Micros, long p99Micros, long maxMicros, double voluntaryPerCommit, double involuntaryPerCommit) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %,d us, p99 %,d us, max %,d us, switches/commit %.2f voluntary + %.2f involuntary",
                    p50Micros, p99Micros, maxMicros, voluntaryPerCommit, involuntaryPerCommit);
        }
    }

    private interface Commit {
        void run(long i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path root = Files.createTempDirectory(args.length > 3 ? Path.of(args[3]) : Path.of(System.getProperty("java.io.tmpdir")), "paced");
        System.out.printf(Locale.ROOT, "paced durable commits: %,d/s, %d s per round, %d rounds, in %s (%s), load %s%n", rate, seconds, rounds,
                root, Files.getFileStore(root).type(), ProcessFigures.loadAverage());
        List<Round> blaze = new ArrayList<>();
        List<Round> sqlite = new ArrayList<>();
        try (StoreEngine store = StoreEngine.open(StoreOptions.defaults("bench", root.resolve("blaze")));
             Connection conn = StoreVsSqlite.sqlite(root.resolve("db.sqlite"));
             PreparedStatement insert = conn.prepareStatement(BenchData.SQLITE_UPSERT)) {
            Collection c = store.collection("c");
            Commit blazeCommit = i -> c.put("p-" + i, StoreVsSqlite.document(i));
            Commit sqliteCommit = i -> {
                insert.setString(1, "p-" + i);
                insert.setBytes(2, BlazeBinary.encodeDocument(StoreVsSqlite.document(i)));
                insert.executeUpdate(); // autocommit: one durable transaction
            };
            long next = 0;
            next = paced(blazeCommit, rate, 2, next); // warm-up, not reported
            next = paced(sqliteCommit, rate, 2, next);
            for (int r = 0; r < rounds; r++) {
                Round b = measure(blazeCommit, rate, seconds, next);
                next += (long) rate * seconds;
                Round s = measure(sqliteCommit, rate, seconds, next);
                next += (long) rate * seconds;
                blaze.add(b);
                sqlite.add(s);
                System.out.printf(Locale.ROOT, "  round %d: BlazeDB %s | SQLite %s (load %s)%n", r + 1, b, s, ProcessFigures.loadAverage());
            }
        } finally {
            try (var files = Files.walk(root)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf(Locale.ROOT, "medians: BlazeDB %s%n         SQLite  %s%n", medianOf(blaze), medianOf(sqlite));
    }

    /** Runs one round on a thread of its own, so that its context switches are the commits'. */
    private static Round measure(Commit commit, int rate, int seconds, long first) throws Exception {
        int n = rate * seconds;
        long[] micros = new long[n];
        long pid = ProcessHandle.current().pid();
        long[] switches = new long[2];
        Exception[] failure = new Exception[1];
        Thread writer = new Thread(() -> {
            try {
                ThreadCounters before = ThreadCounters.of(pid);
                long interval = 1_000_000_000L / rate;
                long due = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    due += interval;
                    waitUntil(due);
                    long start = System.nanoTime();
                    commit.run(first + i);
                    micros[i] = (System.nanoTime() - start) / 1000;
                }
                for (ThreadCounters.Counts t : ThreadCounters.of(pid).since(before)) {
                    if (t.name().equals(WRITER)) {
                        switches[0] += t.voluntary();
                        switches[1] += t.involuntary();
                    }
                }
            } catch (Exception e) {
                failure[0] = e;
            }
        }, WRITER);
        writer.start();
        writer.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        Arrays.sort(micros);
        return new Round(micros[n / 2], micros[(int) (n * 0.99)], micros[n - 1], switches[0] / (double) n, switches[1] / (double) n);
    }

    private static long paced(Commit commit, int rate, int seconds, long first) throws Exception {
        long interval = 1_000_000_000L / rate;
        long due = System.nanoTime();
        int n = rate * seconds;
        for (int i = 0; i < n; i++) {
            due += interval;
            waitUntil(due);
            commit.run(first + i);
        }
        return first + n;
    }

    /** Sleeps until shortly before {@code due} and spins the rest, so that the pace holds to a few µs. */
    private static void waitUntil(long due) {
        for (long left; (left = due - System.nanoTime()) > 0; ) {
            if (left > 80_000) {
                LockSupport.parkNanos(left - 60_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static Round medianOf(List<Round> rounds) {
        return new Round(median(rounds.stream().mapToLong(Round::p50Micros).toArray()), median(rounds.stream().mapToLong(Round::p99Micros).toArray()),
                median(rounds.stream().mapToLong(Round::maxMicros).toArray()),
                rounds.stream().mapToDouble(Round::voluntaryPerCommit).sorted().toArray()[rounds.size() / 2],
                rounds.stream().mapToDouble(Round::involuntaryPerCommit).sorted().toArray()[rounds.size() / 2]);
    }

    private static long median(long[] xs) {
        long[] sorted = xs.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
