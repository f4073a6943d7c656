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

    /**
     * @param values the elements, copied (unless it is the list of another list value, which
     *               cannot change); never null and without null elements
     */
    public ListValue {
        values = values instanceof OwnedArrayList ? values : List.copyOf(values);
    }

    /**
     * Builds a list value that <em>takes ownership</em> of an array the caller has filled: the list
     * is a view of it, without the copy {@link #of(Value...)} makes, which is what a decoder wants
     * for the arrays it has just filled. The caller must not modify or reuse the array afterwards.
     *
     * @param values the elements, no nulls; owned by the list from now on
     * @return a list value over this array
     * @throws NullPointerException if an element is null
     * @since 1.3
     */
    public static ListValue ofTrusted(Value[] values) {
        return values.length == 0 ? EMPTY : new ListValue(new OwnedArrayList(values));
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
