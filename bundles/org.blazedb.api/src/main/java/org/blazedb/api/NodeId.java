package org.blazedb.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of one replica: 128 random bits chosen when its store is first created and kept for
 * its lifetime. Written as 32 lower-case hex digits.
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 */
public record NodeId(long high, long low) implements Comparable<NodeId> {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The hex text of recently printed ids, by a hash of the id: a store keys its per-peer state
     * by it, at every applied batch, for the same few peers. Slots are replaced without locking;
     * a {@link Hex} is immutable (final fields), so a racing reader sees a whole one or misses.
     */
    private static final Hex[] HEX_CACHE = new Hex[64];

    private record Hex(long high, long low, String text) { }

    /** @return a new random node id */
    public static NodeId random() {
        return new NodeId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /**
     * @param hex 32 hex digits, as {@link #toString()} writes them
     * @return the node id
     * @throws IllegalArgumentException if {@code hex} is not 32 hex digits
     */
    public static NodeId parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("A node id is 32 hex digits, got '" + hex + "'");
        }
        try {
            return new NodeId(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A node id is 32 hex digits, got '" + hex + "'", e);
        }
    }

    /**
     * The record's own equality, written out: it is on the hot path of applying every received
     * operation, where the generated one showed up in profiles.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeId other && other.high == high && other.low == low;
    }

    /** Orders node ids as unsigned 128-bit numbers; used to break clock ties deterministically. */
    @Override
    public int compareTo(NodeId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** @return the 32 lower-case hex digits of the id, {@link #high} first */
    @Override
    public String toString() {
        int slot = (int) ((high ^ low) ^ ((high ^ low) >>> 32)) & (HEX_CACHE.length - 1);
        Hex cached = HEX_CACHE[slot];
        if (cached != null && cached.high == high && cached.low == low) {
            return cached.text;
        }
        String text = HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
        HEX_CACHE[slot] = new Hex(high, low, text);
        return text;
    }
}
