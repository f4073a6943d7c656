package org.blazedb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time and context switches of each thread of a process, from Linux's
 * {@code /proc/<pid>/task/<tid>/}: a snapshot, and the difference between two. Threads are keyed by
 * id and reported by name (the kernel keeps its first 15 characters). A thread that ended between
 * two snapshots is not counted.
 */
public final class ThreadCounters {

    /** One thread's counters: CPU in ms, voluntary and involuntary context switches. */
    public record Counts(String name, long cpuMillis, long voluntary, long involuntary) {
        /** @return voluntary and involuntary context switches */
        public long switches() {
            return voluntary + involuntary;
        }
    }

    private final Map<String, Counts> byTid;

    private ThreadCounters(Map<String, Counts> byTid) {
        this.byTid = byTid;
    }

    /** @param pid a process on this machine @return its threads' counters now */
    public static ThreadCounters of(long pid) {
        Map<String, Counts> byTid = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long cpu = CpuTime.fromStat(stat);
                    long voluntary = 0;
                    long involuntary = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    byTid.put(task.getFileName().toString(), new Counts(name, cpu, voluntary, involuntary));
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the threads of process " + pid + " from /proc", e);
        }
        return new ThreadCounters(byTid);
    }

    /** @return the context switches of every thread in this snapshot */
    public long totalSwitches() {
        return byTid.values().stream().mapToLong(Counts::switches).sum();
    }

    /** @return per thread alive in both, what it used since {@code before}; busiest first */
    public List<Counts> since(ThreadCounters before) {
        List<Counts> used = new ArrayList<>();
        for (Map.Entry<String, Counts> e : byTid.entrySet()) {
            Counts then = before.byTid.get(e.getKey());
            Counts now = e.getValue();
            if (then != null) {
                used.add(new Counts(now.name(), now.cpuMillis() - then.cpuMillis(), now.voluntary() - then.voluntary(),
                        now.involuntary() - then.involuntary()));
            } else {
                used.add(now); // started since: all it used
            }
        }
        used.sort((a, b) -> Long.compare(b.cpuMillis() * 1_000_000 + b.switches(), a.cpuMillis() * 1_000_000 + a.switches()));
        return used;
    }

    /**
     * @param used  from {@link #since}
     * @param top   threads to name
     * @param writes the writes in that time
     * @return one line: the totals per write and the busiest threads
     */
    public static String describe(List<Counts> used, int top, int writes) {
        long cpu = used.stream().mapToLong(Counts::cpuMillis).sum();
        long voluntary = used.stream().mapToLong(Counts::voluntary).sum();
        long involuntary = used.stream().mapToLong(Counts::involuntary).sum();
        StringBuilder line = new StringBuilder(String.format("CPU %.1f µs per write, context switches %.2f per write"
                + " (%.2f voluntary, %.2f involuntary); busiest threads (CPU ms / switches):",
                cpu * 1e3 / writes, (double) (voluntary + involuntary) / writes, (double) voluntary / writes,
                (double) involuntary / writes));
        for (Counts c : used.subList(0, Math.min(top, used.size()))) {
            line.append(' ').append(c.name()).append(' ').append(c.cpuMillis()).append('/').append(c.switches()).append(';');
        }
        return line.toString();
    }
}
