package org.blazedb.net;

/** What an authenticated peer may do; the server decides it and tells the client in SERVER_AUTH. */
public enum Permission {
    /** The peer may send and receive operations. */
    READ_WRITE(0),
    /** The peer receives operations but may not send any; the sync engine enforces it. */
    READ_ONLY(1);

    private final int wire;

    Permission(int wire) {
        this.wire = wire;
    }

    /** @return the byte that stands for it on the wire */
    public int wire() {
        return wire;
    }

    /** @param b a wire byte @return its permission, or {@code null} if unknown */
    public static Permission ofWire(int b) {
        for (Permission p : values()) {
            if (p.wire == b) {
                return p;
            }
        }
        return null;
    }
}
