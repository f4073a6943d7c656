package org.blazedb.api;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import org.blazedb.api.value.*;

/**
 * The total order of values used by queries and indexes. Values of different kinds order by kind:
 * null &lt; boolean &lt; number &lt; string &lt; bytes &lt; timestamp &lt; UUID &lt; list &lt; map.
 * Integers and floats are both numbers and compare by numeric value (an integer and a float of equal
 * value compare equal, so {@code 3 == 3.0}, and {@code 0}, {@code 0.0} and {@code -0.0} are all
 * equal; every NaN equals every NaN and orders after every other number). Strings compare by code
 * point, bytes unsigned and lexicographically, lists and maps element by element.
 *
 * <p>This order is coarser than {@link Value#equals} (which tells {@code 3} from {@code 3.0} and
 * {@code 0.0} from {@code -0.0}) but it is transitive, which an index, a B-tree, relies on.
 */
public final class ValueOrder implements Comparator<Value> {
    /** The one instance. */
    public static final ValueOrder INSTANCE = new ValueOrder();

    private ValueOrder() {
    }

    /** @param type a value type @return its rank in the order of kinds */
    public static int rank(ValueType type) {
        return switch (type) {
            case NULL -> 0;
            case BOOLEAN -> 1;
            case INT, FLOAT -> 2;
            case STRING -> 3;
            case BYTES -> 4;
            case TIMESTAMP -> 5;
            case UUID -> 6;
            case LIST -> 7;
            case MAP -> 8;
        };
    }

    @Override
    public int compare(Value a, Value b) {
        int c = Integer.compare(rank(a.type()), rank(b.type()));
        if (c != 0) {
            return c;
        }
        if (a instanceof NullValue) {
            return 0;
        } else if (a instanceof BoolValue x && b instanceof BoolValue y) {
            return Boolean.compare(x.value(), y.value());
        } else if (a instanceof StringValue x && b instanceof StringValue y) {
            return Value.KEY_ORDER.compare(x.value(), y.value());
        } else if (a instanceof BytesValue x && b instanceof BytesValue y) {
            return java.util.Arrays.compareUnsigned(x.toByteArray(), y.toByteArray());
        } else if (a instanceof TimestampValue x && b instanceof TimestampValue y) {
            int c2 = Long.compare(x.epochSecond(), y.epochSecond());
            return c2 != 0 ? c2 : Integer.compare(x.nano(), y.nano());
        } else if (a instanceof UuidValue x && b instanceof UuidValue y) {
            return compareUuid(x.value(), y.value());
        } else if (a instanceof ListValue x && b instanceof ListValue y) {
            return compareLists(x, y);
        } else if (a instanceof MapValue x && b instanceof MapValue y) {
            return compareMaps(x, y);
        }
        return compareNumbers(a, b);
    }

    private static int compareUuid(java.util.UUID a, java.util.UUID b) {
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private int compareLists(ListValue a, ListValue b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private int compareMaps(MapValue a, MapValue b) {
        Iterator<Map.Entry<String, Value>> i = a.entries().entrySet().iterator();
        Iterator<Map.Entry<String, Value>> j = b.entries().entrySet().iterator();
        while (i.hasNext() && j.hasNext()) {
            Map.Entry<String, Value> x = i.next();
            Map.Entry<String, Value> y = j.next();
            int c = Value.KEY_ORDER.compare(x.getKey(), y.getKey());
            if (c == 0) {
                c = compare(x.getValue(), y.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    private static int compareNumbers(Value a, Value b) {
        if (a instanceof IntValue x && b instanceof IntValue y) {
            return Long.compare(x.value(), y.value());
        }
        if (a instanceof FloatValue x && b instanceof FloatValue y) {
            return compareFloats(x.value(), y.value());
        }
        if (a instanceof IntValue x && b instanceof FloatValue y) {
            return intVersusFloat(x.value(), y.value());
        }
        return -intVersusFloat(((IntValue) b).value(), ((FloatValue) a).value());
    }

    /**
     * Numeric order of two doubles: -0.0 equals 0.0 (as both equal the integer 0, which
     * {@link #intVersusFloat} says; {@link Double#compare} alone would put -0.0 below 0.0 and make
     * the order intransitive, and an index built on it lose entries), every NaN equals every NaN
     * and orders after every other number.
     */
    private static int compareFloats(double x, double y) {
        return x == y ? 0 : Double.compare(x, y); // == is false for NaN, which Double.compare orders
    }

    /** Exact comparison of a long with a double, without the rounding a cast to double would add. */
    private static int intVersusFloat(long i, double d) {
        if (Double.isNaN(d)) {
            return -1;
        }
        if (d >= 0x1p63) {
            return -1;
        }
        if (d < -0x1p63) {
            return 1;
        }
        long truncated = (long) d;
        if (i != truncated) {
            return Long.compare(i, truncated);
        }
        double fraction = d - truncated;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }
}
