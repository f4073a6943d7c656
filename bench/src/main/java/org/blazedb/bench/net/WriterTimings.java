package org.blazedb.bench.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the writing side of a live run saw, for the tail attribution: per write (by document id)
 * when its put started and returned and when its OPS frame was handed to the link; the writer
 * JVM's stalls and GC pauses during the run, all in {@link System#nanoTime()} (on Linux the
 * monotonic clock every process of the machine shares). Passed from the server process to the
 * benchmark as a small text file.
 *
 * @param writes  document id → {put started, put returned, frame sent or -1}
 * @param stalls  {start, end} of each stall of this JVM (a 0.5 ms sleep woken over 1 ms late)
 * @param gcs     {start, end} of each GC pause of this JVM
 * @param stalledPercent the share of the run this JVM was stalled
 * @param allocatedBytes bytes the writer JVM's threads allocated during the run, -1 if unknown
 */
record WriterTimings(Map<String, long[]> writes, List<long[]> stalls, List<long[]> gcs, double stalledPercent,
        long allocatedBytes) {
    /** @return the writes of the run, with the frames that carried them */
    static WriterTimings of(NetBenchServer.LiveWrites run, FrameTimes sent, List<long[]> stalls, List<long[]> gcs,
            double stalledPercent, long allocatedBytes) {
        Map<String, Long> sentAt = sent.byDocument();
        Map<String, long[]> writes = new LinkedHashMap<>();
        for (int i = 0; i < run.ids().length; i++) {
            writes.put(run.ids()[i], new long[] {run.startNanos()[i], run.returnNanos()[i], sentAt.getOrDefault(run.ids()[i], -1L)});
        }
        return new WriterTimings(writes, stalls, gcs, stalledPercent, allocatedBytes);
    }

    void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder("P ").append(stalledPercent).append('\n')
                .append("A ").append(allocatedBytes).append('\n');
        writes.forEach((id, t) -> out.append("W ").append(id).append(' ').append(t[0]).append(' ').append(t[1]).append(' ')
                .append(t[2]).append('\n'));
        stalls.forEach(s -> out.append("S ").append(s[0]).append(' ').append(s[1]).append('\n'));
        gcs.forEach(g -> out.append("G ").append(g[0]).append(' ').append(g[1]).append('\n'));
        Files.writeString(file, out);
    }

    static WriterTimings read(Path file) throws IOException {
        Map<String, long[]> writes = new LinkedHashMap<>();
        List<long[]> stalls = new ArrayList<>();
        List<long[]> gcs = new ArrayList<>();
        double stalled = 0;
        long allocated = -1;
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "P" -> stalled = Double.parseDouble(f[1]);
                case "A" -> allocated = Long.parseLong(f[1]);
                case "W" -> writes.put(f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])});
                case "S" -> stalls.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                case "G" -> gcs.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                default -> throw new IOException("Unexpected line in " + file + ": " + line);
            }
        }
        return new WriterTimings(writes, stalls, gcs, stalled, allocated);
    }
}
