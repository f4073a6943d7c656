package org.blazedb.api;

/** The Config Admin PIDs of BlazeDB's components. */
public final class Pids {
    /** The store (a factory PID: one configuration per store). */
    public static final String STORE = "org.blazedb.store";
    /** The sync engine (a factory PID: one configuration per store that syncs). */
    public static final String SYNC = "org.blazedb.sync";
    /** The network server that accepts peers. */
    public static final String SERVER = "org.blazedb.server";
    /** The in-process relay. */
    public static final String RELAY_MEMORY = "org.blazedb.relay.memory";
    /** The TCP + TLS relay. */
    public static final String RELAY_TCP = "org.blazedb.relay.tcp";
    /** The Unix domain socket relay. */
    public static final String RELAY_UNIX = "org.blazedb.relay.unix";
    /** The WebSocket relay. */
    public static final String RELAY_WEBSOCKET = "org.blazedb.relay.websocket";
    /** The last-writer-wins conflict resolver. */
    public static final String RESOLVER_LWW = "org.blazedb.resolver.lww";
    /** The field-level merge conflict resolver. */
    public static final String RESOLVER_MERGE = "org.blazedb.resolver.merge";

    /**
     * Framework property naming the data folder of a node; components that keep files default to
     * folders under it.
     */
    public static final String DATA_FOLDER_PROPERTY = "blaze.data";

    private Pids() {
    }
}
