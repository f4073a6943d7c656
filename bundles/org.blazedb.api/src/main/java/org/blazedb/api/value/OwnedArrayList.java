package org.blazedb.api.value;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The read-only list of a {@link ListValue} made by {@link ListValue#ofTrusted}: a view of an
 * array that no one else holds, so it never changes and list values can share it without a copy.
 */
final class OwnedArrayList extends AbstractList<Value> implements RandomAccess {
    private final Value[] values;

    OwnedArrayList(Value[] values) {
        for (Value v : values) {
            Objects.requireNonNull(v, "element");
        }
        this.values = values;
    }

    @Override
    public Value get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
