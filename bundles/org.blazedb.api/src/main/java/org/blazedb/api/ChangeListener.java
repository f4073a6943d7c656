package org.blazedb.api;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service told of every committed change to a store. Register it as an OSGi service;
 * the store delivers changes asynchronously, in commit order, in batches, on a thread of its own
 * (never the writer's). Each listener reads from its own position in the operation log, so a slow
 * or failing listener delays only itself and misses nothing.
 *
 * <p>Service properties: {@link #STORE_NAME} restricts the listener to one store (all stores when
 * absent); {@link #COLLECTIONS} to some collections.
 */
@ConsumerType
public interface ChangeListener {
    /** Service property ({@code String}): the name of the store to listen to. */
    String STORE_NAME = "blaze.store.name";
    /** Service property ({@code String+}): the collections to listen to; all when absent. */
    String COLLECTIONS = "blaze.collections";
    /** {@link #resumeAfter()} value: start with the next change committed after registration. */
    long FROM_NOW = -1;
    /** {@link #resumeAfter()} value: replay the whole log from its first operation. */
    long FROM_START = 0;

    /**
     * Receives the next changes. An exception thrown here is logged and the same batch is offered
     * again after a back-off, so changes are never skipped.
     *
     * @param changes one or more changes, in log order
     */
    void onChanges(List<Change> changes);

    /**
     * @return the log position after which to start: {@link #FROM_NOW}, {@link #FROM_START}, or a
     *         position saved from an earlier {@link Change#position()}
     */
    default long resumeAfter() {
        return FROM_NOW;
    }
}
