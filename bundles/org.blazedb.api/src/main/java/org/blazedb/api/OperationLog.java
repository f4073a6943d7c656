package org.blazedb.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only log of every operation a store has applied, local and replicated, in commit
 * order. Positions start at 1 and have no gaps; records are never rewritten.
 */
@ProviderType
public interface OperationLog {
    /** @return the position of the last committed operation, 0 when the log is empty */
    long lastPosition();

    /**
     * @param afterPosition read the operations after this position (0 for all)
     * @return the committed operations after it, in log order
     */
    Cursor<Change> read(long afterPosition);
}
