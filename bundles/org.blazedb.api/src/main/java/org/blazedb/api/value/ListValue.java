package org.blazedb.api.value;

import java.util.List;

/**
 * An immutable ordered list of values.
 *
 * @param values the elements, copied; never null and without null elements
 */
public record ListValue(List<Value> values) implements Value {
    /** The empty list. */
    public static final ListValue EMPTY = new ListValue(List.of());

    /** @param values the elements, copied; never null and without null elements */
    public ListValue {
        values = List.copyOf(values);
    }

    /** @param values the elements @return a list value holding them */
    public static ListValue of(Value... values) {
        return new ListValue(List.of(values));
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    /** @return the number of elements */
    public int size() {
        return values.size();
    }

    /** @param index position, from 0 @return the element there */
    public Value get(int index) {
        return values.get(index);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
