package org.blazedb.api.sync.dto;

import java.util.List;
import org.osgi.dto.DTO;

/** The status of one sync engine. */
public class SyncStatusDTO extends DTO {
    /** The node id of the engine's store. */
    public String nodeId;
    /** The name of the engine's store. */
    public String storeName;
    /** The schemes of the relays bound now. */
    public List<String> relays;
    /** The name of the conflict resolver in use now. */
    public String resolver;
    /** Conflicts resolved since the engine started. */
    public long conflictsResolved;
    /** Every known peer. */
    public List<PeerStatusDTO> peers;
}
