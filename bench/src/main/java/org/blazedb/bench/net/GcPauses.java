package org.blazedb.bench.net;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collector's pauses in this JVM while open, as {start, end} in
 * {@link System#nanoTime()} (from the collectors' notifications; their times have millisecond
 * resolution). Concurrent cycles, which do not stop the application, are left out.
 */
final class GcPauses implements AutoCloseable {
    /** When this JVM started, in {@link System#nanoTime()}: GC notifications count from it. */
    private final long jvmStartNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    private final List<long[]> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // G1's marking is "G1 Concurrent GC"; Shenandoah's and ZGC's whole cycles are
            // "... Cycles" beside their "... Pauses"
            if (!info.getGcName().contains("Concurrent") && !info.getGcName().endsWith("Cycles")) {
                synchronized (pauses) {
                    pauses.add(new long[] {jvmStartNanos + info.getGcInfo().getStartTime() * 1_000_000L,
                            jvmStartNanos + Math.max(info.getGcInfo().getEndTime(), info.getGcInfo().getStartTime() + 1) * 1_000_000L});
                }
            }
        }
    };

    GcPauses() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** @return the pauses so far, {start, end} in nanoTime */
    List<long[]> pauses() {
        synchronized (pauses) {
            return new ArrayList<>(pauses);
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // never added: nothing to remove
            }
        }
    }
}
