package org.blazedb.api.sync;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides the outcome of a {@link Conflict}. Register implementations as OSGi services with
 * {@link #NAME}; the sync engine uses the highest-ranked one (or the one its configuration names)
 * and switches when resolvers come and go.
 *
 * <p>How a decision spreads: every replica computes the same <em>deterministic merge</em> of the
 * operations it holds (last writer wins by hybrid clock, per field, deletes included), so replicas
 * that hold the same operations hold the same documents whatever order they arrived in. When a
 * resolver decides something else, the store records the decision as a new operation of its own
 * (a patch, a delete or a put stamped after both sides, in the same commit as the incoming
 * operations); it replicates like any write, so every replica ends up with the decision even where
 * another resolver runs, or none has seen the conflict. A resolver that returns {@code incoming}
 * (as {@code lww} does) writes nothing. Replicas may therefore run different resolvers, and a
 * resolver may be switched at any moment, without breaking convergence.
 *
 * <p>A resolver should still be deterministic and symmetric (given the same two versions in either
 * order it returns the same result): two replicas that decide one conflict then write equal
 * decisions, which meet without a further conflict.
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
