package org.blazedb.api.sync;

import java.util.List;
import org.blazedb.api.Cursor;
import org.blazedb.api.NodeId;
import org.blazedb.api.Operation;
import org.blazedb.api.Store;
import org.blazedb.api.VersionVector;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The view of a store that the sync engine drives: read what a peer lacks, apply what a peer sent,
 * and keep per-peer sync state, each committed atomically with the data it describes. The store
 * bundle registers it beside its {@link Store}, with the same {@link Store#NAME}.
 */
@ProviderType
public interface Replica {
    /** @return the store this replica belongs to */
    Store store();

    /** @return for each origin, the highest contiguous sequence this replica holds durably */
    VersionVector version();

    /**
     * Streams, in an order that respects each origin's sequence, every operation this replica holds
     * that {@code known} does not cover. Memory use does not depend on how many there are.
     *
     * @param known what the peer holds
     * @return the operations it lacks
     */
    Cursor<Operation> operationsMissingFrom(VersionVector known);

    /**
     * The same operations as {@link #operationsMissingFrom}, in the same order, in their BlazeBinary
     * encoding: what the sync engine sends, without decoding each operation only to encode it again.
     * Memory use does not depend on how many there are.
     *
     * @param known what the peer holds
     * @return the operations it lacks, encoded
     * @since 1.2
     */
    Cursor<EncodedOperation> encodedOperationsMissingFrom(VersionVector known);

    /**
     * Applies operations received from a peer in one atomic commit, together with the new
     * received-from state of that peer. Operations already held are skipped (applying is
     * idempotent); an operation whose predecessor from the same origin is missing is rejected with
     * the whole batch. Conflicts are resolved with {@code resolver}: where its decision differs
     * from the deterministic merge of the operations, the decision is written in the same commit
     * as a new operation of this replica (see {@link ConflictResolver}), reported in
     * {@link org.blazedb.api.sync.dto.ConflictEventDTO#resolutionOperation} and delivered to change
     * listeners as a local change.
     *
     * @param from      the peer they came from
     * @param ops       the operations, each origin's in sequence order
     * @param resolver  decides conflicts
     * @return what was applied
     */
    ApplyResult apply(NodeId from, List<Operation> ops, ConflictResolver resolver);

    /** @param peer a peer @return the vector the peer is known to hold durably, persisted */
    VersionVector peerVersion(NodeId peer);

    /**
     * Records durably that a peer holds at least {@code version}. Never moves a peer's vector
     * backwards.
     *
     * @param peer    the peer
     * @param version what it acknowledged holding
     */
    void recordPeerVersion(NodeId peer, VersionVector version);

    /** @return the peers with recorded sync state */
    List<NodeId> knownPeers();
}
