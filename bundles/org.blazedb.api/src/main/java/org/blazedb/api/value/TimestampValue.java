package org.blazedb.api.value;

import java.time.Instant;

/**
 * An instant on the UTC time line with nanosecond precision, in the range of {@link Instant}.
 *
 * <p>It holds the instant's two numbers rather than an {@link Instant} object: a decoded
 * document's timestamps then cost one small object each instead of two, and encoders read the
 * numbers without a conversion. {@link #value()} creates the equal {@code Instant} when asked.
 *
 * @param epochSecond seconds since 1970-01-01T00:00:00Z, from {@code Instant.MIN.getEpochSecond()}
 *                    to {@code Instant.MAX.getEpochSecond()}
 * @param nano        nanoseconds within that second, 0 to 999,999,999
 */
public record TimestampValue(long epochSecond, int nano) implements Value {
    private static final long MIN_SECOND = Instant.MIN.getEpochSecond();
    private static final long MAX_SECOND = Instant.MAX.getEpochSecond();

    /**
     * @param epochSecond seconds since the epoch, within the range of {@link Instant}
     * @param nano        nanoseconds within that second, 0 to 999,999,999
     * @throws IllegalArgumentException if either is out of range
     * @since 1.3
     */
    public TimestampValue {
        if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
            throw new IllegalArgumentException("Timestamp " + epochSecond + " s is outside the range of java.time.Instant");
        }
        if (nano < 0 || nano > 999_999_999) {
            throw new IllegalArgumentException("Timestamp nanoseconds " + nano + " not in 0..999999999");
        }
    }

    /** @param value the instant, never null */
    public TimestampValue(Instant value) {
        this(value.getEpochSecond(), value.getNano());
    }

    /**
     * @param epochMilli milliseconds since 1970-01-01T00:00:00Z (every {@code long} is in range)
     * @return that instant as a value
     * @since 1.3
     */
    public static TimestampValue ofEpochMilli(long epochMilli) {
        // one division, not the two of floorDiv and floorMod: decoders make one per timestamp
        long seconds = epochMilli >= 0 ? epochMilli / 1000L : Math.floorDiv(epochMilli, 1000L);
        return new TimestampValue(seconds, (int) (epochMilli - seconds * 1000L) * 1_000_000);
    }

    /** @return the instant, created on each call (an {@code Instant} is a small immutable value) */
    public Instant value() {
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    @Override
    public ValueType type() {
        return ValueType.TIMESTAMP;
    }

    /** @return the ISO-8601 form, as {@link Instant#toString()} */
    @Override
    public String toString() {
        return value().toString();
    }
}
