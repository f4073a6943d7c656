package org.blazedb.codec;

/**
 * The compact decimal form of float64 values: a double that equals {@code m / 10^s} for a small
 * integer {@code m} and {@code s} in 0..15 (prices, ratings, coordinates typed by people) is
 * written as the tag {@code 0x10 + s} and the varint {@code zigzag(m)} instead of eight bytes.
 *
 * <p>Decoding computes {@code (double) m / 10^s}: both operands are exact doubles ({@code |m| <
 * 2^53}, {@code 10^s <= 10^15 < 2^53}), so IEEE division rounds the exact quotient once and every
 * decoder in every language gets the same bits. The encoder picks the smallest {@code s} whose
 * quotient is bit-identical to the value, which makes the form canonical: with at most 13
 * significant digits two different decimals never round to the same double, so a smaller scale
 * exists exactly when {@code m} ends in a zero.
 */
final class Decimals {
    /** zigzag(m) stays below this (at most 6 varint bytes, fewer than 8 raw; at most 13 digits). */
    static final long ZIGZAG_LIMIT = 1L << 40;
    static final int MAX_SCALE = 15;
    /** Returned by {@link #pack} when the value has no decimal form. */
    static final long NONE = -1;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };
    private static final double MANTISSA_LIMIT = 0x1p39;

    private Decimals() {
    }

    /** @param d a double @return {@code zigzag(m) << 4 | s}, or {@link #NONE} */
    static long pack(double d) {
        if (d == 0) {
            // +0.0 is m = 0, s = 0; -0.0 has no decimal form and keeps its sign as float64
            return Double.doubleToRawLongBits(d) == 0 ? 0 : NONE;
        }
        if (!(Math.abs(d) < MANTISSA_LIMIT)) {
            return NONE; // also NaN and the infinities
        }
        double x = d * 100;
        if (Math.abs(x) < MANTISSA_LIMIT) {
            // Scale 2 first (cents: the most common decimals), which also answers for scales 0 and 1:
            // if m / 10^s is d for s <= 2, then d * 100 is within 2^-13 of the integer m * 10^(2-s)
            // (as in the loop below), which divides back to the same double as m / 10^s.
            double r = Math.rint(x);
            if (Math.abs(x - r) <= 0x1p-12) {
                long m = (long) r;
                if (unscale(m, 2) == d) {
                    int scale = 2;
                    // the smallest scale: strip the zeros m ends in
                    while (scale > 0 && m % 10 == 0) {
                        m /= 10;
                        scale--;
                    }
                    return form(m, scale);
                }
            }
            // no scale up to 2: refuse a double that no larger scale can fit with one test
            // (ratios, measurements) instead of trying each
            return nearIntegerAtTopScale(d) ? search(d, 3) : NONE;
        }
        return search(d, 0);
    }

    /** Tries each scale from {@code first} up: the smallest one that gives {@code d} back. */
    private static long search(double d, int first) {
        for (int s = first; s <= MAX_SCALE; s++) {
            double x = d * POW10[s];
            if (!(Math.abs(x) < MANTISSA_LIMIT)) {
                return NONE;
            }
            double r = Math.rint(x);
            // if m / 10^s were d, x would be within 2^-13 of the integer m (|x| < 2^39, one rounding
            // error of 2^-52 relative): farther away, skip the division that checks it
            if (Math.abs(x - r) > 0x1p-12) {
                continue;
            }
            long m = (long) r;
            if (unscale(m, s) == d) {
                return form(m, s);
            }
        }
        return NONE;
    }

    private static long form(long m, int s) {
        long zz = (m << 1) ^ (m >> 63);
        return zz < ZIGZAG_LIMIT ? (zz << 4) | s : NONE;
    }

    /**
     * A quick refusal of doubles without a decimal form (random measurements, ratios), which would
     * otherwise try all scales. Let {@code S} be the largest scale with {@code |d * 10^S| < 2^39}.
     * If {@code d} is {@code m / 10^s} rounded, with {@code s <= S}, then {@code d * 10^S} is
     * {@code m * 10^(S-s)} times {@code (1 + e)} with {@code |e| <= 2^-52}, so within
     * {@code 2^39 * 2^-52 = 2^-13} of that integer: far from every integer means no scale works.
     */
    private static boolean nearIntegerAtTopScale(double d) {
        // |d| < 2^(e+1), so |d| * 10^s < 2^39 holds for s <= (38 - e) * log10(2): an estimate, then exact steps
        int top = (int) ((38 - Math.getExponent(d)) * 0.30102999566398120);
        top = Math.max(0, Math.min(MAX_SCALE, top));
        while (top < MAX_SCALE && Math.abs(d * POW10[top + 1]) < MANTISSA_LIMIT) {
            top++;
        }
        while (top > 0 && !(Math.abs(d * POW10[top]) < MANTISSA_LIMIT)) {
            top--;
        }
        double x = d * POW10[top];
        return Math.abs(x - Math.rint(x)) <= 0x1p-12;
    }

    /** @param m mantissa @param s scale 0..15 @return m / 10^s, correctly rounded */
    static double unscale(long m, int s) {
        return s == 0 ? (double) m : (double) m / POW10[s];
    }
}
