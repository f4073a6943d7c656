package org.blazedb.sync.impl;

/** An {@link EngineExecutor} on a {@link SimScheduler}: deterministic, virtual time. */
final class SimExecutor implements EngineExecutor {
    private final SimScheduler scheduler;
    private boolean shutdown;

    SimExecutor(SimScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void execute(Runnable task) {
        scheduler.at(0, () -> {
            if (!shutdown) {
                task.run();
            }
        });
    }

    @Override
    public void execute(Runnable task, Runnable ifDropped) {
        scheduler.at(0, () -> (shutdown ? ifDropped : task).run());
    }

    @Override
    public Runnable schedule(Runnable task, long delayMillis) {
        return scheduler.at(delayMillis, () -> {
            if (!shutdown) {
                task.run();
            }
        });
    }

    @Override
    public long now() {
        return scheduler.now();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }
}
