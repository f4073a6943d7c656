package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.blazedb.api.value.TimestampValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

/** A timestamp value holds an instant's two numbers and is the same value however it was made. */
class TimestampValueTest {
    @Test
    void everyWayToMakeOneGivesTheSameValueAndInstant() {
        Random random = new Random(7);
        long[] edges = {0, 1, -1, 999, 1000, 1001, -999, -1000, -1001, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE - 999, Long.MIN_VALUE + 999};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            long millis = i >= 100_000 ? edges[i - 100_000]
                    : i % 2 == 0 ? random.nextLong() : random.nextLong() % 100_000_000_000_000L;
            Instant instant = Instant.ofEpochMilli(millis);
            TimestampValue fromMillis = TimestampValue.ofEpochMilli(millis);
            TimestampValue fromInstant = new TimestampValue(instant);
            TimestampValue fromParts = new TimestampValue(instant.getEpochSecond(), instant.getNano());
            assertEquals(fromInstant, fromMillis, () -> "ms " + millis);
            assertEquals(fromInstant, fromParts);
            assertEquals(fromInstant.hashCode(), fromMillis.hashCode());
            assertEquals(instant, fromMillis.value());
            assertEquals(instant.toString(), fromMillis.toString());
            assertEquals(Value.of(instant), fromMillis);
        }
        Instant nanos = Instant.ofEpochSecond(-5, 123_456_789);
        assertEquals(nanos, new TimestampValue(nanos).value());
        assertEquals(-5, new TimestampValue(nanos).epochSecond());
        assertEquals(123_456_789, new TimestampValue(nanos).nano());
        assertEquals(Instant.MIN, new TimestampValue(Instant.MIN).value());
        assertEquals(Instant.MAX, new TimestampValue(Instant.MAX).value());
        assertNotEquals(new TimestampValue(1, 0), new TimestampValue(1, 1));
    }

    @Test
    void outOfRangePartsAreRefusedWithAClearMessage() {
        long max = Instant.MAX.getEpochSecond();
        long min = Instant.MIN.getEpochSecond();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TimestampValue(max + 1, 0))
                .getMessage().contains("outside the range"));
        assertThrows(IllegalArgumentException.class, () -> new TimestampValue(min - 1, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TimestampValue(0, 1_000_000_000))
                .getMessage().contains("not in 0..999999999"));
        assertThrows(IllegalArgumentException.class, () -> new TimestampValue(0, -1));
        assertThrows(NullPointerException.class, () -> new TimestampValue(null));
    }

    @Test
    void orderIsTheInstantsOrder() {
        TimestampValue a = new TimestampValue(-1, 999_999_999);
        TimestampValue b = new TimestampValue(0, 0);
        TimestampValue c = new TimestampValue(0, 1);
        assertTrue(ValueOrder.INSTANCE.compare(a, b) < 0);
        assertTrue(ValueOrder.INSTANCE.compare(b, c) < 0);
        assertTrue(ValueOrder.INSTANCE.compare(c, a) > 0);
        assertEquals(0, ValueOrder.INSTANCE.compare(b, TimestampValue.ofEpochMilli(0)));
    }
}
