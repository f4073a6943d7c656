package org.blazedb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, from Linux's {@code /proc/<pid>/stat} (user + system, in clock
 * ticks of 10 ms). On a machine shared with other work a run's wall time follows the load; the CPU
 * time it used varies far less with it (contention still costs some: cache misses, and threads that
 * poll count more CPU the longer a run takes), so it compares two builds run under load better.
 */
public final class CpuTime {
    /** {@code USER_HZ}: 100 on every Linux architecture this runs on ({@code getconf CLK_TCK}). */
    private static final long TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    /** @param pid a process on this machine @return its user + system CPU time so far, in ms */
    public static long millis(long pid) throws IOException {
        return fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * @param stat the text of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} file
     * @return the user + system CPU time it gives, in ms
     */
    public static long fromStat(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces: count from after it
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        return (utime + stime) * 1000 / TICKS_PER_SECOND;
    }

    /** @return this process's user + system CPU time so far, in ms */
    public static long millis() throws IOException {
        return millis(ProcessHandle.current().pid());
    }
}
