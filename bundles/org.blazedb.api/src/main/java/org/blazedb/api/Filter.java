package org.blazedb.api;

import java.util.Objects;
import org.blazedb.api.value.Value;

/**
 * A condition on one top-level field of a document, used by {@link Query}. Comparisons follow
 * {@link ValueOrder}; a document without the field never matches.
 *
 * @param field    the top-level field name
 * @param operator how to compare
 * @param operand  the value compared with
 */
public record Filter(String field, Operator operator, Value operand) {
    /** @param field field name @param operator comparison @param operand value */
    public Filter {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(operand, "operand");
    }

    /** The comparisons a filter can make. */
    public enum Operator {
        /** Equal to the operand. */
        EQ,
        /** Less than the operand. */
        LT,
        /** Less than or equal to the operand. */
        LTE,
        /** Greater than the operand. */
        GT,
        /** Greater than or equal to the operand. */
        GTE
    }

    /** @param field name @param v value @return {@code field == v} */
    public static Filter eq(String field, Value v) {
        return new Filter(field, Operator.EQ, v);
    }

    /** @param field name @param v value @return {@code field < v} */
    public static Filter lt(String field, Value v) {
        return new Filter(field, Operator.LT, v);
    }

    /** @param field name @param v value @return {@code field <= v} */
    public static Filter lte(String field, Value v) {
        return new Filter(field, Operator.LTE, v);
    }

    /** @param field name @param v value @return {@code field > v} */
    public static Filter gt(String field, Value v) {
        return new Filter(field, Operator.GT, v);
    }

    /** @param field name @param v value @return {@code field >= v} */
    public static Filter gte(String field, Value v) {
        return new Filter(field, Operator.GTE, v);
    }

    /** @param value a field's value @return whether it satisfies this filter */
    public boolean test(Value value) {
        int c = ValueOrder.INSTANCE.compare(value, operand);
        return switch (operator) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
        };
    }
}
