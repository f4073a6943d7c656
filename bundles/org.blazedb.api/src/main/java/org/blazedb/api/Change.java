package org.blazedb.api;

import java.util.Objects;

/**
 * One committed operation as a {@link ChangeListener} sees it.
 *
 * @param position  the operation's position in the local operation log (from 1, without gaps);
 *                  a listener that saves it can later resume after it
 * @param operation the operation, local or received from a peer
 * @param local     whether the operation was written on this node
 */
public record Change(long position, Operation operation, boolean local) {
    /** @param position log position @param operation the operation @param local written here */
    public Change {
        Objects.requireNonNull(operation, "operation");
        if (position < 1) {
            throw new IllegalArgumentException("Log positions start at 1, got " + position);
        }
    }
}
