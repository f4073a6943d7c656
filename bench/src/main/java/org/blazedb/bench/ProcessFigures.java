package org.blazedb.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the benchmarks print beside their results so that a figure can be judged: the machine's
 * load, and this JVM's CPU time and time in garbage collection.
 */
public final class ProcessFigures {
    private ProcessFigures() {
    }

    /** @return the machine's 1-minute load average ({@code /proc/loadavg}, else the JVM's figure) */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** @return the CPU time of this whole JVM so far, in ns: every thread, the collector's and the JIT's too */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return the time this JVM's garbage collectors have taken so far, in ms */
    public static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
