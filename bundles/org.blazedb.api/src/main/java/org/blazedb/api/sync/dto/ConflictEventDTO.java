package org.blazedb.api.sync.dto;

import org.osgi.dto.DTO;

/** One resolved conflict. */
public class ConflictEventDTO extends DTO {
    /** The collection of the document. */
    public String collection;
    /** The document id. */
    public String documentId;
    /** The id of the incoming operation, as {@code node:sequence}. */
    public String operation;
    /** The name of the resolver that decided. */
    public String resolver;
    /** Whether the incoming operation's changes were kept, wholly or in part. */
    public boolean incomingKept;
    /** Whether the local version's changes were kept, wholly or in part. */
    public boolean localKept;
    /** The resolver's explanation. */
    public String explanation;
    /**
     * The operation ({@code node:sequence}) this replica wrote to record the decision, where it
     * differs from the deterministic merge of the operations; null when the decision is that merge
     * and nothing was written. Conflicts on one document applied in one batch share it.
     */
    public String resolutionOperation;
}
