package org.blazedb.store.impl;

import org.blazedb.api.ValueOrder;
import org.blazedb.api.value.Value;

/**
 * A secondary index entry: a field's value and the id of the document holding it, ordered by
 * {@link ValueOrder} and then by id. Search keys use {@code bound} to sit before ({@code -1}) or
 * after ({@code +1}) every id of a value; stored keys have bound 0.
 *
 * @param value the field value
 * @param id    the document id ("" for search keys)
 * @param bound 0 for stored keys, -1 or +1 for search keys
 */
record IndexKey(Value value, String id, int bound) implements Comparable<IndexKey> {
    static IndexKey of(Value value, String id) {
        return new IndexKey(value, id, 0);
    }

    static IndexKey before(Value value) {
        return new IndexKey(value, "", -1);
    }

    static IndexKey after(Value value) {
        return new IndexKey(value, "", 1);
    }

    @Override
    public int compareTo(IndexKey o) {
        int c = ValueOrder.INSTANCE.compare(value, o.value);
        if (c != 0) {
            return c;
        }
        if (bound != 0 || o.bound != 0) {
            return Integer.compare(bound, o.bound);
        }
        return Value.KEY_ORDER.compare(id, o.id);
    }
}
