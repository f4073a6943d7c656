package org.blazedb.sync.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link EngineExecutor} with one daemon thread of its own, which a caller may stand in for.
 *
 * <p>Tasks run one at a time, in the order they were handed over, whoever runs them: the engine's
 * thread, or (through {@link #executeHereIfIdle}) a caller that found the engine idle and runs its
 * task itself rather than waking the engine's thread and waiting for it. On the live path that
 * saves a hand-off per step: a store's change feed thread offers the just-committed operations to
 * the sessions itself, and a frame the in-memory relay hands over on the sending engine's thread
 * is taken in right there. A caller that stood in also runs what its own thread queued while it
 * stood in (typically what its task caused: the acknowledgement of the batch it sent), once, in
 * order, up to the first task queued by another thread or with {@link #executeOnEngineThread}.
 * Everything else is run by the engine's thread (woken only if it is not the one running): a
 * caller is held for one round of its own work at most, never for another thread's.
 *
 * <p>Timers are kept here too (the engine's thread waits until the earliest is due) and their tasks
 * join the queue when due, so they are serial with everything else.
 */
final class ThreadEngineExecutor implements EngineExecutor {
    private static final Logger LOG = Logger.getLogger(ThreadEngineExecutor.class.getName());
    /** How many engine tasks the current thread is running now (nested: one engine's task hands a frame to another). */
    private static final ThreadLocal<int[]> RUNNING_HERE = ThreadLocal.withInitial(() -> new int[1]);

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the engine's thread may have work: a task queued while nobody runs, a new earliest timer, shutdown. */
    private final Condition work = lock.newCondition();
    /** Signalled when a runner finishes, for {@link #shutdown()}. */
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Thread thread;
    /** Whether a task is running (on the engine's thread or a caller's); guarded by the lock. */
    private boolean running;
    /** The caller standing in for the engine's thread right now, or null; guarded by the lock. */
    private Thread standIn;
    /** Written under the lock; read without it between the tasks of a batch. */
    private volatile boolean stopped;
    private long timerCount;

    /** A task due at {@link #dueNanos}; ties keep the order they were scheduled in. */
    private record Timer(Runnable task, long dueNanos, long order) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int byTime = Long.compare(dueNanos - o.dueNanos, 0);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    /** @param name the thread's name */
    ThreadEngineExecutor(String name) {
        thread = new Thread(this::runLoop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues the task for the engine's thread; after {@link #shutdown()} the task is dropped, since
     * the engine it belongs to has stopped (a link closing late, say, has nothing left to tell it).
     */
    @Override
    public void execute(Runnable task) {
        enqueue(task, true);
    }

    /**
     * Queues the task as {@link #execute(Runnable)} does; if it is dropped instead (queued after
     * {@link #shutdown()}, or still queued then), {@code ifDropped} runs on the dropping thread.
     */
    @Override
    public void execute(Runnable task, Runnable ifDropped) {
        enqueue(new Releasing(task, ifDropped), true);
    }

    @Override
    public void executeOnEngineThread(Runnable task) {
        enqueue(task, false);
    }

    /**
     * @param task       the task
     * @param standInMay whether a caller standing in may take it on, if that caller queued it
     */
    private void enqueue(Runnable task, boolean standInMay) {
        lock.lock();
        try {
            if (!stopped) {
                queue.add(standInMay ? markIfStandIn(task) : task);
                if (!running) {
                    // A runner signals when it finishes; only an idle engine needs waking.
                    work.signal();
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        dropLate(task);
    }

    /** A task handed over after {@link #shutdown()}: it never runs, and what it holds is released. */
    private static void dropLate(Runnable task) {
        LOG.log(Level.FINE, "Sync engine stopped; a late task was dropped");
        release(task);
    }

    /** Called, with no lock held, for a task that will never run: runs its {@code ifDropped}, if it has one. */
    private static void release(Runnable task) {
        Runnable queued = task instanceof FollowUp f ? f.task() : task;
        if (queued instanceof Releasing r) {
            try {
                r.ifDropped().run();
            } catch (RuntimeException | Error e) {
                // the other dropped tasks must still be released
                LOG.log(Level.WARNING, "Releasing a dropped sync engine task failed", e);
            }
        }
    }

    /** A task with what to do instead if it is dropped (see {@link #execute(Runnable, Runnable)}). */
    private record Releasing(Runnable task, Runnable ifDropped) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    /** Lock held. @return the task, marked as a follow-up when the caller standing in queues it */
    private Runnable markIfStandIn(Runnable task) {
        return standIn != null && Thread.currentThread() == standIn ? new FollowUp(task) : task;
    }

    /** A task the caller standing in queued while it stood in: the only kind it takes on. */
    private record FollowUp(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    @Override
    public void executeHereIfIdle(Runnable task) {
        boolean late;
        lock.lock();
        try {
            late = stopped;
            if (!late && (running || !queue.isEmpty())) {
                queue.add(markIfStandIn(task)); // behind the work already waiting, as execute
                if (!running) {
                    work.signal();
                }
                return;
            }
            if (!late) {
                running = true;
                standIn = Thread.currentThread();
            }
        } finally {
            lock.unlock();
        }
        if (late) {
            dropLate(task);
            return;
        }
        List<Runnable> queuedMeanwhile = null; // made only when there is something to take on
        try {
            runLogged(task);
            // What its own task queued here (an acknowledgement coming back, a next turn) is taken
            // on too, once: the engine's thread would have to be woken for it otherwise. A task
            // another thread queued meanwhile, and everything behind it, is left to the engine's
            // thread: this caller (another engine's thread, say) must not be held by others' work.
            lock.lock();
            try {
                while (!stopped && queue.peek() instanceof FollowUp) {
                    if (queuedMeanwhile == null) {
                        queuedMeanwhile = new ArrayList<>();
                    }
                    queuedMeanwhile.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            runUnlessStopped(queuedMeanwhile == null ? List.of() : queuedMeanwhile);
        } finally {
            lock.lock();
            try {
                running = false;
                standIn = null;
                if (!queue.isEmpty() || timerDue() || stopped) {
                    work.signal(); // queued or fallen due while this caller ran: the engine's thread takes it from here
                }
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return whether no task is running or queued right now (a due timer may still join at once) */
    boolean isIdle() {
        lock.lock();
        try {
            return !running && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean callerRunsEngineWork() {
        return RUNNING_HERE.get()[0] > 0;
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        lock.lock();
        try {
            if (stopped) {
                LOG.log(Level.FINE, "Sync engine stopped; a late timer was dropped");
                return () -> { };
            }
            Timer timer = new Timer(task, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), timerCount++);
            timers.add(timer);
            if (timers.peek() == timer && Thread.currentThread() != thread) {
                work.signal(); // the engine's thread may be waiting for a later deadline
            }
            return () -> cancel(timer);
        } finally {
            lock.unlock();
        }
    }

    private void cancel(Timer timer) {
        lock.lock();
        try {
            timers.remove(timer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    /**
     * Stops: queued tasks and timers are dropped (a task queued with {@code ifDropped} has that run
     * here, after the lock is released); waits (at most 5 s) for a running task to end.
     */
    @Override
    public void shutdown() {
        List<Runnable> dropped = List.of();
        lock.lock();
        try {
            stopped = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            timers.clear();
            work.signalAll();
            long left = TimeUnit.SECONDS.toNanos(5);
            while (running && left > 0 && Thread.currentThread() != thread && RUNNING_HERE.get()[0] == 0) {
                left = idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        dropped.forEach(ThreadEngineExecutor::release);
        try {
            if (Thread.currentThread() != thread) {
                thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLoop() {
        List<Runnable> batch = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (!stopped) {
                    boolean due = timerDue();
                    if (!running && (due || !queue.isEmpty())) {
                        break;
                    }
                    Timer next = timers.peek();
                    if (next == null || due) {
                        work.await(); // due while a caller runs a task: it signals when it finishes
                    } else {
                        work.awaitNanos(next.dueNanos - System.nanoTime());
                    }
                }
                if (stopped) {
                    return;
                }
                // Due timers join the queue behind what is already there.
                while (timerDue()) {
                    queue.add(timers.poll().task);
                }
                // drained one by one: addAll would copy the queue into an array first
                for (Runnable task; (task = queue.poll()) != null; ) {
                    batch.add(task);
                }
                running = true;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                runUnlessStopped(batch);
            } finally {
                batch.clear();
                lock.lock();
                try {
                    running = false;
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Runs the tasks in order until the engine stops; the rest were queued for it and are dropped
     * (and released).
     */
    private void runUnlessStopped(List<Runnable> tasks) {
        int i = 0;
        while (i < tasks.size() && !stopped) {
            runLogged(tasks.get(i++));
        }
        while (i < tasks.size()) {
            release(tasks.get(i++));
        }
    }

    /** Lock held. */
    private boolean timerDue() {
        Timer next = timers.peek();
        return next != null && next.dueNanos - System.nanoTime() <= 0;
    }

    private static void runLogged(Runnable task) {
        int[] depth = RUNNING_HERE.get();
        depth[0]++;
        try {
            task.run();
        } catch (RuntimeException e) {
            // an engine task must not kill the engine thread; the failure is logged, never swallowed silently
            LOG.log(Level.WARNING, "Sync engine task failed", e);
        } catch (Error e) {
            // ... nor an error (a class mismatch, an assertion): the engine's other sessions go on
            LOG.log(Level.SEVERE, "Sync engine task failed with an error", e);
        } finally {
            depth[0]--;
        }
    }
}
