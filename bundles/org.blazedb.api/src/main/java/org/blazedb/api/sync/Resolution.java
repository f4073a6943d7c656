package org.blazedb.api.sync;

import java.util.Objects;

/**
 * What a {@link ConflictResolver} decided.
 *
 * @param result      the document version to keep
 * @param explanation one line saying why, recorded with the resolution event
 */
public record Resolution(DocumentVersion result, String explanation) {
    /** @param result kept version @param explanation why */
    public Resolution {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(explanation, "explanation");
    }
}
