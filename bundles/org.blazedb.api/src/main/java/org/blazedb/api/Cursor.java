package org.blazedb.api;

import java.util.Iterator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A stream of results read lazily from the store; only what has been read is in memory. Close it
 * when done (try-with-resources) to release its read snapshot. Not thread-safe.
 *
 * @param <T> the element type
 */
@ProviderType
public interface Cursor<T> extends Iterator<T>, AutoCloseable {
    /** Releases the cursor's resources; further calls to {@link #next()} fail. */
    @Override
    void close();
}
