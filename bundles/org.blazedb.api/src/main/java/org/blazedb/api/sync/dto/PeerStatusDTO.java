package org.blazedb.api.sync.dto;

import org.osgi.dto.DTO;

/** The sync status of one peer, as {@link org.blazedb.api.sync.SyncService} reports it. */
public class PeerStatusDTO extends DTO {
    /** The peer's node id (32 hex digits), or null before the first handshake. */
    public String nodeId;
    /** The address it was connected to or came from. */
    public String address;
    /** The scheme of the relay carrying the session, null when not connected. */
    public String relay;
    /** Whether a session with the peer is open now. */
    public boolean connected;
    /** Operations this node holds that the peer is not known to hold (exact). */
    public long pendingOutbound;
    /** Operations the peer announced holding that this node lacks (exact as of its last state). */
    public long pendingInbound;
    /** Operations sent to the peer since this engine started. */
    public long operationsSent;
    /** Operations received from the peer and applied since this engine started. */
    public long operationsReceived;
    /**
     * Operations received from the peer that this node already held, skipped since this engine
     * started: what a resumed or repeated transfer re-sent. Normally at most one credit window.
     */
    public long operationsDuplicate;
    /** When a sync round with the peer last completed, epoch milliseconds; 0 if never. */
    public long lastSyncMillis;
    /** Conflicts resolved for operations from this peer since this engine started. */
    public long conflictsResolved;
    /** Errors on sessions with this peer since this engine started. */
    public long errors;
    /** The last error, one line, or null. */
    public String lastError;
}
