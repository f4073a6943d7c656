package org.blazedb.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Bytes allocated on the Java heap by the threads of this JVM, from HotSpot's per-thread
 * allocation counters ({@code com.sun.management.ThreadMXBean}): exact (every TLAB and outside
 * allocation), unlike sampled allocation profiles. A thread that ends between two readings takes
 * its count with it, so a difference counts the threads alive at both ends (and all of a thread
 * started since).
 */
public final class AllocatedBytes {
    private AllocatedBytes() {
    }

    /** @return bytes allocated so far by the live threads of this JVM, or -1 where not supported */
    public static long now() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(b -> b > 0).sum();
    }
}
