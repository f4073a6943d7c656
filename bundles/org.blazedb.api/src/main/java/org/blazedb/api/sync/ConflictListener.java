package org.blazedb.api.sync;

import org.blazedb.api.sync.dto.ConflictEventDTO;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service told of every conflict the sync engine resolves, after the resolution has
 * been committed. Called on an engine thread; it must not block.
 */
@ConsumerType
public interface ConflictListener {
    /** @param event what conflicted and how it was resolved */
    void resolved(ConflictEventDTO event);
}
