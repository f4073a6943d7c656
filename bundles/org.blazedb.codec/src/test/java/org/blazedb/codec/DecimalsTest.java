package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Decimals#pack} with its quick refusal gives exactly what trying every scale gives. */
class DecimalsTest {
    /** The definition: the smallest scale whose mantissa divides back to the very same double. */
    private static long everyScale(double d) {
        if (d == 0) {
            return Double.doubleToRawLongBits(d) == 0 ? 0 : Decimals.NONE;
        }
        if (!(Math.abs(d) < 0x1p39)) {
            return Decimals.NONE;
        }
        for (int s = 0; s <= Decimals.MAX_SCALE; s++) {
            double x = d * Math.pow(10, s);
            if (!(Math.abs(x) < 0x1p39)) {
                return Decimals.NONE;
            }
            long m = (long) Math.rint(x);
            if (Decimals.unscale(m, s) == d) {
                long zz = (m << 1) ^ (m >> 63);
                return zz < Decimals.ZIGZAG_LIMIT ? (zz << 4) | s : Decimals.NONE;
            }
        }
        return Decimals.NONE;
    }

    @Test
    void packAgreesWithTryingEveryScale() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < 2_000_000; i++) {
            double d;
            switch (i % 5) {
                case 0 -> d = random.nextDouble();
                case 1 -> d = Double.longBitsToDouble(random.nextLong());
                case 2 -> d = random.nextLong(-(1L << 40), 1L << 40) / Math.pow(10, random.nextInt(16));
                case 3 -> d = random.nextLong(-1_000_000_000L, 1_000_000_000L) / Math.pow(10, random.nextInt(10));
                default -> d = (random.nextBoolean() ? 1 : -1) * Math.scalb(random.nextDouble(), random.nextInt(-60, 45));
            }
            assertEquals(everyScale(d), Decimals.pack(d), () -> "pack(" + d + ")");
        }
        for (double d : new double[] {0.1, 19.99, -123.456, 1e-15, 9.99e-16, 0x1p39 - 1, 0x1p38, 549755813887.0,
                54975581388.7, 5497558138.87, Double.MIN_VALUE, -Double.MIN_VALUE, Math.PI, 1e15, 123456789012.3,
                5e-16, 1.5e-15, 2.5, -100.5, 1e14 + 0.5, 0x1p39 - 0.5, -0x1p39 + 0.25, 17372.13, 48.123456, -179.999999, 1e-7, 3.0e-5}) {
            assertEquals(everyScale(d), Decimals.pack(d), () -> "pack(" + d + ")");
        }
    }
}
