package org.blazedb.sync.impl;

/**
 * Where an engine runs: one serial queue of tasks (every session's state is touched only there),
 * timers, and a clock. Production uses {@link ThreadEngineExecutor}; the convergence harness uses
 * a virtual-time implementation so that runs replay exactly from a seed.
 */
interface EngineExecutor {
    /** @param task run on the engine's serial queue, after the tasks already queued */
    void execute(Runnable task);

    /**
     * Like {@link #execute}, for a task that holds something which must be released even if the
     * task never runs (a link just opened, which the task would start or close). If the engine
     * drops the task (it was queued after {@link #shutdown}, or was still queued when it came),
     * {@code ifDropped} runs instead, once, on the thread that dropped it, with no lock held.
     *
     * @param task      run on the engine's serial queue, after the tasks already queued
     * @param ifDropped run instead of the task if the engine stops before running it
     */
    void execute(Runnable task, Runnable ifDropped);

    /**
     * Runs the task at once on the calling thread when the engine is idle (no task running, none
     * queued), else queues it as {@link #execute} does; either way in order with every other task.
     * Only for callers that may be held for as long as an engine task takes (a store's change feed
     * thread, a thread already running engine work): it saves waking the engine's thread.
     *
     * @param task the task
     */
    default void executeHereIfIdle(Runnable task) {
        execute(task);
    }

    /**
     * Like {@link #execute}, but never run by a caller standing in for the engine (see {@link
     * #executeHereIfIdle}): for work that belongs on the engine's own thread, such as the next turn
     * of sending a backlog.
     *
     * @param task the task
     */
    default void executeOnEngineThread(Runnable task) {
        execute(task);
    }

    /** @return whether the calling thread is running a task of some engine right now */
    default boolean callerRunsEngineWork() {
        return false;
    }

    /**
     * @param task        run on the serial queue after a delay
     * @param delayMillis the delay
     * @return cancels the timer if it has not fired
     */
    Runnable schedule(Runnable task, long delayMillis);

    /** @return the current time, epoch milliseconds */
    long now();

    /**
     * Stops running tasks; queued tasks and timers are dropped (a task queued with {@link
     * #execute(Runnable, Runnable)} has its {@code ifDropped} run).
     */
    void shutdown();
}
