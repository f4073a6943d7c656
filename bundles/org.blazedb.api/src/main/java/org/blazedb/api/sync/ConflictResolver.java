package org.blazedb.api.sync;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides the outcome of a {@link Conflict}. Register implementations as OSGi services with
 * {@link #NAME}; the sync engine uses the highest-ranked one (or the one its configuration names)
 * and switches when resolvers come and go.
 *
 * <p>A resolver must be deterministic and symmetric: given the same two versions in either order
 * it returns the same result, so that replicas converge whatever order operations arrive in.
 */
@ConsumerType
public interface ConflictResolver {
    /** Service property ({@code String}): the resolver's name, such as {@code lww} or {@code merge}. */
    String NAME = "blaze.resolver.name";

    /** @return the resolver's name */
    String name();

    /** @param conflict the two versions @return the version to keep, and why */
    Resolution resolve(Conflict conflict);
}
