package org.blazedb.store.impl;

/**
 * The steps of releasing a store's resources (its file, its log, files a compaction replaced): each
 * step runs whatever the steps before it did, so that one failure does not leave the others open.
 * The first failure is kept, the later ones are added to it as suppressed.
 */
final class CloseSteps {
    /** One step; may fail. */
    interface Step {
        void run() throws Exception;
    }

    private Throwable failure;

    /** @param failure a failure that came before the steps (later ones are added to it), or null */
    CloseSteps(Throwable failure) {
        this.failure = failure;
    }

    /** Runs {@code step}; a failure is kept, not thrown. */
    void run(Step step) {
        try {
            step.run();
        } catch (Exception | Error e) { // an Error too: the later steps still release what they hold
            if (failure == null) {
                failure = e;
            } else if (failure != e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** @return the first failure, with the later ones suppressed in it; null if every step succeeded */
    Throwable failure() {
        return failure;
    }
}
