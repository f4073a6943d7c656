package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

class ValueOrderTest {
    private final ValueOrder order = ValueOrder.INSTANCE;

    @Test
    void kindsOrderAsDocumented() {
        List<Value> ascending = List.of(Value.nullValue(), Value.of(true), Value.of(-5), Value.of("a"),
                Value.of(new byte[] {1}), Value.of(Instant.EPOCH), Value.of(new UUID(0, 0)), ListValue.EMPTY,
                MapValue.EMPTY);
        for (int i = 0; i + 1 < ascending.size(); i++) {
            assertTrue(order.compare(ascending.get(i), ascending.get(i + 1)) < 0, ascending.get(i) + " < next");
            assertTrue(order.compare(ascending.get(i + 1), ascending.get(i)) > 0);
        }
    }

    @Test
    void integersAndFloatsCompareByExactNumericValue() {
        assertEquals(0, order.compare(Value.of(3), Value.of(3.0)));
        assertTrue(order.compare(Value.of(3), Value.of(3.5)) < 0);
        assertTrue(order.compare(Value.of(4.5), Value.of(4)) > 0);
        // 2^53 + 1 is not representable as a double; a cast would call them equal.
        assertTrue(order.compare(Value.of((1L << 53) + 1), Value.of((double) (1L << 53))) > 0);
        assertTrue(order.compare(Value.of(Long.MAX_VALUE), Value.of(0x1p63)) < 0);
        assertTrue(order.compare(Value.of(Long.MIN_VALUE), Value.of(-0x1p64)) > 0);
        assertTrue(order.compare(Value.of(Long.MAX_VALUE), Value.of(Double.NaN)) < 0);
        assertTrue(order.compare(Value.of(-1), Value.of(-0.5)) < 0);
    }

    /**
     * The order must be transitive across kinds: the integer 0 equals 0.0, so it cannot equal -0.0
     * unless 0.0 does too (an index, a B-tree, is only as good as its comparator).
     */
    @Test
    void allThreeZerosCompareEqualAndNaNEqualsOnlyNaN() {
        List<Value> zeros = List.of(Value.of(0), Value.of(0.0), Value.of(-0.0));
        for (Value a : zeros) {
            for (Value b : zeros) {
                assertEquals(0, order.compare(a, b), a + " vs " + b);
            }
            assertTrue(order.compare(a, Value.of(Double.MIN_VALUE)) < 0, a + " < the smallest positive double");
            assertTrue(order.compare(a, Value.of(-Double.MIN_VALUE)) > 0, a + " > the largest negative double");
        }
        assertEquals(0, order.compare(Value.of(Double.NaN), Value.of(Double.longBitsToDouble(0x7ff0000000000001L))));
        assertTrue(order.compare(Value.of(Double.POSITIVE_INFINITY), Value.of(Double.NaN)) < 0);
        assertTrue(order.compare(Value.of(Double.NaN), Value.of(Long.MAX_VALUE)) > 0);
    }

    @Test
    void stringsOrderByCodePointNotUtf16Unit() {
        String bmpHigh = "\uffff";
        String supplementary = new String(Character.toChars(0x1F600));
        assertTrue(order.compare(Value.of(bmpHigh), Value.of(supplementary)) < 0);
        assertTrue(bmpHigh.compareTo(supplementary) > 0, "UTF-16 order would say the opposite");
    }

    @Test
    void mapsKeepKeysInCodePointOrderAndCompareEntryWise() {
        MapValue m = Value.of(Map.of("b", Value.of(1), "a", Value.of(2)));
        assertEquals(List.of("a", "b"), List.copyOf(m.entries().keySet()));
        MapValue n = MapValue.builder().put("a", 2).put("b", 2).build();
        assertTrue(order.compare(m, n) < 0);
    }

    @Test
    void filtersUseTheOrder() {
        assertTrue(Filter.gte("n", Value.of(2)).test(Value.of(2.0)));
        assertFalse(Filter.lt("n", Value.of(2)).test(Value.of("1")));
        assertTrue(Filter.eq("s", Value.of("x")).test(Value.of("x")));
    }
}
