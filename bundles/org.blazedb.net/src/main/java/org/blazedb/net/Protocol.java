package org.blazedb.net;

/**
 * Protocol versions and capability bits this build speaks (see {@code docs/protocol.md},
 * "Handshake"). The highest version both sides list is used; capabilities are the bits both set.
 */
public final class Protocol {
    /** Version 1: the framing, handshake and sync messages of {@code docs/protocol.md}. */
    public static final int VERSION_1 = 1;
    /** The versions this build speaks, newest first. */
    public static final int[] SUPPORTED_VERSIONS = {VERSION_1};
    /** Capability bit 0: this side accepts LZ4-compressed operation batches. */
    public static final int CAP_LZ4_BATCHES = 1;
    /**
     * Capability bit 1: this side sends a KEEPALIVE frame whenever it has written nothing for a third
     * of the idle timeout, and accepts KEEPALIVE frames; a link where both set it stays alive on the
     * transport alone, however busy the sync engines behind it are.
     */
    public static final int CAP_KEEPALIVE = 2;
    /** The capability bits this build offers. */
    public static final int CAPABILITIES = CAP_LZ4_BATCHES | CAP_KEEPALIVE;

    private Protocol() {
    }

    /**
     * @param offered the versions a client listed
     * @return the highest of them this build speaks, or -1 if none
     */
    public static int choose(int[] offered) {
        int best = -1;
        for (int v : offered) {
            for (int mine : SUPPORTED_VERSIONS) {
                if (v == mine && v > best) {
                    best = v;
                }
            }
        }
        return best;
    }
}
