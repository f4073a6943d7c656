package org.blazedb.sync.impl;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for tests: a queue of tasks ordered by due time, then by submission. Everything
 * (engines, links, timers) runs on the test thread in that order, so a run replays exactly.
 */
final class SimScheduler {
    private record Event(long time, long seq, Runnable task, boolean[] cancelled) { }

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    private long executed;

    SimScheduler(long start) {
        this.now = start;
    }

    long now() {
        return now;
    }

    long executed() {
        return executed;
    }

    Runnable at(long delay, Runnable task) {
        boolean[] cancelled = new boolean[1];
        queue.add(new Event(now + Math.max(0, delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs one task; returns false when none is queued. */
    boolean step() {
        Event e = queue.poll();
        if (e == null) {
            return false;
        }
        now = Math.max(now, e.time);
        if (!e.cancelled[0]) {
            executed++;
            e.task.run();
        }
        return true;
    }

    /** Runs tasks until the condition holds; fails after {@code maxMillis} of virtual time. */
    void runUntil(String what, BooleanSupplier condition, long maxMillis) {
        long deadline = now + maxMillis;
        while (!condition.getAsBoolean()) {
            if (now > deadline || !step()) {
                throw new AssertionError("not reached within " + maxMillis + " virtual ms: " + what);
            }
        }
    }

    /** Runs every task due within the next {@code millis}. */
    void runFor(long millis) {
        long end = now + millis;
        while (!queue.isEmpty() && queue.peek().time <= end) {
            step();
        }
        now = Math.max(now, end);
    }
}
