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
     * @param task        run on the serial queue after a delay
     * @param delayMillis the delay
     * @return cancels the timer if it has not fired
     */
    Runnable schedule(Runnable task, long delayMillis);

    /** @return the current time, epoch milliseconds */
    long now();

    /** Stops running tasks; queued tasks are dropped. */
    void shutdown();
}
