package org.blazedb.bench.net;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blazedb.bench.AllocatedBytes;
import org.blazedb.bench.ThreadCounters;

/**
 * Where the time of each live write went, from the writer's put returning to the change event on
 * the reader, split at the points both processes noted ({@link System#nanoTime()}, the machine's
 * monotonic clock): A's change feed and engine up to handing the OPS frame to the link; the wire
 * (A's event loop, TLS, loopback, B's event loop, decryption) up to B's relay handing the frame to
 * B's engine; B's engine queue up to the apply; B's apply (durable commit); B's change feed up to
 * the event. Each write slower than {@link #SLOW_NANOS} is then laid against the stalls and GC
 * pauses of both JVMs.
 */
final class LiveTail {
    /** Writes slower than this from the put returning are attributed ({@code -Dblaze.bench.slow.micros}). */
    static final long SLOW_NANOS = Long.getLong("blaze.bench.slow.micros", 2_000) * 1_000;
    private static final String[] PARTS = {"A feed+engine to send", "wire+TLS", "B engine queue", "B apply", "B feed"};

    private final WriterTimings writer;
    private final Map<String, Long> received;
    private final Map<String, long[]> applies;
    private final List<long[]> readerStalls;
    private final List<long[]> readerGcs;
    private final double readerStalledPercent;
    private final boolean oneProcess;
    private final List<long[]> rows = new ArrayList<>(); // {t0 put returned, t1 sent, t2 received, t3 apply start, t4 apply end, t5 visible}
    private int incomplete;

    LiveTail(WriterTimings writer, Map<String, Long> received, Map<String, long[]> applies, List<long[]> readerStalls,
            List<long[]> readerGcs, double readerStalledPercent, boolean oneProcess) {
        this.writer = writer;
        this.received = received;
        this.applies = applies;
        this.readerStalls = readerStalls;
        this.readerGcs = readerGcs;
        this.readerStalledPercent = readerStalledPercent;
        this.oneProcess = oneProcess;
    }

    /** Adds a write the reader saw at {@code nanos}. */
    void visible(String id, long nanos) {
        long[] w = writer.writes().get(id);
        Long recv = received.get(id);
        long[] apply = applies.get(id);
        if (w == null || w[2] < 0 || recv == null || apply == null) {
            incomplete++;
            return;
        }
        // each point no earlier than the one before (a frame can leave before the put returns)
        long[] t = {w[1], w[2], recv, apply[0], apply[1], nanos};
        for (int i = 1; i < t.length; i++) {
            t[i] = Math.max(t[i], t[i - 1]);
        }
        rows.add(t);
    }

    void print(PrintStream out, ProcessUse use, int writes) {
        List<long[]> slow = rows.stream().filter(t -> t[5] - t[0] > SLOW_NANOS).toList();
        StringBuilder parts = new StringBuilder();
        int[] longest = new int[PARTS.length];
        for (long[] t : slow) {
            int max = 0;
            for (int p = 1; p < PARTS.length; p++) {
                if (t[p + 1] - t[p] > t[max + 1] - t[max]) {
                    max = p;
                }
            }
            longest[max]++;
        }
        for (int p = 0; p < PARTS.length; p++) {
            int part = p;
            long[] all = rows.stream().mapToLong(t -> t[part + 1] - t[part]).sorted().toArray();
            double slowMean = slow.stream().mapToLong(t -> t[part + 1] - t[part]).average().orElse(0);
            parts.append(String.format("%s %.3f / %.3f (%.3f, longest in %d); ", PARTS[p], pct(all, 0.5), pct(all, 0.99),
                    slowMean / 1e6, longest[p]));
        }
        out.printf("net live tail: %d of %d writes attributed (%d without every point); %d slower than %.1f ms from the put"
                + " returning. Per part, ms: p50 / p99 over all (mean over the slow ones, and how many slow ones it was the"
                + " longest part of): %s%n", rows.size(), rows.size() + incomplete, incomplete, slow.size(), SLOW_NANOS / 1e6, parts);
        int stallA = 0;
        int stallB = 0;
        int gcA = 0;
        int gcB = 0;
        int none = 0;
        for (long[] t : slow) {
            boolean a = overlaps(writer.stalls(), t[0], t[5]);
            boolean b = overlaps(readerStalls, t[0], t[5]);
            boolean ga = overlaps(writer.gcs(), t[0], t[5]);
            boolean gb = overlaps(readerGcs, t[0], t[5]);
            stallA += a ? 1 : 0;
            stallB += b ? 1 : 0;
            gcA += ga ? 1 : 0;
            gcB += gb ? 1 : 0;
            none += a || b || ga || gb ? 0 : 1;
        }
        if (oneProcess) {
            out.printf("net live tail: of the slow writes %d overlap a stall of this JVM (a 0.5 ms sleep woken over 1 ms late),"
                    + " %d a GC pause, %d neither; stalled %.1f %% of the run (%d stalls, longest %.1f ms); %d GC pauses, %d ms%n",
                    stallB, gcB, none, readerStalledPercent, readerStalls.size(), longest(readerStalls) / 1e6,
                    readerGcs.size(), total(readerGcs) / 1_000_000);
            out.println("net live use, this process (both ends): " + ThreadCounters.describe(use.reader(), 8, writes)
                    + allocated(use.readerAllocatedBytes(), writes));
        } else {
            out.printf("net live tail: of the slow writes %d overlap a stall of A's JVM (writer; a 0.5 ms sleep woken over 1 ms"
                    + " late), %d one of B's (reader), %d a GC pause in A, %d in B, %d none of these; A stalled %.1f %% of the run"
                    + " (%d stalls, longest %.1f ms), B %.1f %% (%d, %.1f ms); GC pauses A %d (%d ms), B %d (%d ms)%n",
                    stallA, stallB, gcA, gcB, none, writer.stalledPercent(), writer.stalls().size(), longest(writer.stalls()) / 1e6,
                    readerStalledPercent, readerStalls.size(), longest(readerStalls) / 1e6, writer.gcs().size(),
                    total(writer.gcs()) / 1_000_000, readerGcs.size(), total(readerGcs) / 1_000_000);
            out.println("net live use, writer process A: " + ThreadCounters.describe(use.writer(), 8, writes)
                    + allocated(writer.allocatedBytes(), writes));
            out.println("net live use, reader process B: " + ThreadCounters.describe(use.reader(), 8, writes)
                    + allocated(use.readerAllocatedBytes(), writes));
        }
    }

    private static String allocated(long bytes, int writes) {
        return bytes < 0 ? "" : String.format(" heap allocated %.1f KB per write (%,d MB);", bytes / 1e3 / writes, bytes >> 20);
    }

    private static boolean overlaps(List<long[]> spans, long from, long to) {
        return spans.stream().anyMatch(s -> s[0] < to && s[1] > from);
    }

    private static long longest(List<long[]> spans) {
        return spans.stream().mapToLong(s -> s[1] - s[0]).max().orElse(0);
    }

    private static long total(List<long[]> spans) {
        return spans.stream().mapToLong(s -> s[1] - s[0]).sum();
    }

    private static double pct(long[] sortedNanos, double p) {
        return sortedNanos.length == 0 ? Double.NaN : sortedNanos[Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * p))] / 1e6;
    }

    /** Threads' CPU and context switches of the reader (this process) and the writer over a run. */
    static final class ProcessUse {
        private final long writerPid;
        private final boolean oneProcess;
        private final ThreadCounters readerBefore;
        private final ThreadCounters writerBefore;
        private final long readerAllocatedBefore;
        private long readerAllocated;
        private List<ThreadCounters.Counts> reader;
        private List<ThreadCounters.Counts> writer;

        private ProcessUse(long writerPid) {
            this.writerPid = writerPid;
            this.oneProcess = writerPid == ProcessHandle.current().pid();
            this.readerBefore = ThreadCounters.of(ProcessHandle.current().pid());
            this.writerBefore = oneProcess ? readerBefore : ThreadCounters.of(writerPid);
            this.readerAllocatedBefore = AllocatedBytes.now();
        }

        /** @param writerPid the writer's process (this one when both ends share it) */
        static ProcessUse start(long writerPid) {
            return new ProcessUse(writerPid);
        }

        void stop() {
            readerAllocated = readerAllocatedBefore < 0 ? -1 : AllocatedBytes.now() - readerAllocatedBefore;
            reader = ThreadCounters.of(ProcessHandle.current().pid()).since(readerBefore);
            writer = oneProcess ? reader : ThreadCounters.of(writerPid).since(writerBefore);
        }

        List<ThreadCounters.Counts> reader() {
            return reader;
        }

        /** @return bytes this process's threads allocated between start and stop, -1 if unknown */
        long readerAllocatedBytes() {
            return readerAllocated;
        }

        List<ThreadCounters.Counts> writer() {
            return writer;
        }
    }
}
