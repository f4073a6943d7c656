package org.blazedb.api.sync;

import java.util.List;
import org.blazedb.api.VersionVector;
import org.blazedb.api.sync.dto.ConflictEventDTO;

/**
 * What {@link Replica#apply} did with a batch of incoming operations.
 *
 * @param applied    how many operations were new and applied
 * @param duplicates how many were already held and skipped
 * @param conflicts  the conflicts resolved while applying, in order
 * @param version    the replica's version vector after the commit, including any operations it
 *                   wrote to record resolutions
 */
public record ApplyResult(int applied, int duplicates, List<ConflictEventDTO> conflicts, VersionVector version) {
    /** @param applied a @param duplicates d @param conflicts c, copied @param version v */
    public ApplyResult {
        conflicts = List.copyOf(conflicts);
    }
}
