package org.blazedb.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.Value;
import org.junit.jupiter.api.Test;

class ListValueTest {
    @Test
    void ofTrustedIsAViewOfTheArrayEqualToACopiedList() {
        Value[] elements = {Value.of(1), Value.of("b"), Value.of(3.5)};
        ListValue owned = ListValue.ofTrusted(elements);
        ListValue copied = new ListValue(List.of(Value.of(1), Value.of("b"), Value.of(3.5)));
        assertEquals(copied, owned);
        assertEquals(owned, copied);
        assertEquals(copied.hashCode(), owned.hashCode());
        assertEquals(copied.toString(), owned.toString());
        assertEquals(3, owned.size());
        assertEquals(Value.of("b"), owned.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> owned.get(3));
        assertSame(ListValue.EMPTY, ListValue.ofTrusted(new Value[0]));
    }

    @Test
    void theListOfAListValueCannotBeChanged() {
        ListValue owned = ListValue.ofTrusted(new Value[] {Value.of(1), Value.of(2)});
        List<Value> values = owned.values();
        assertThrows(UnsupportedOperationException.class, () -> values.set(0, Value.of(9)));
        assertThrows(UnsupportedOperationException.class, () -> values.add(Value.of(9)));
        assertThrows(UnsupportedOperationException.class, () -> values.remove(0));
        // a list value made from another's list shares it: it cannot change
        assertSame(values, new ListValue(values).values());
    }

    @Test
    void otherListsAreStillCopied() {
        List<Value> mutable = new ArrayList<>(List.of(Value.of(1)));
        ListValue list = new ListValue(mutable);
        mutable.set(0, Value.of(2));
        assertEquals(Value.of(1), list.get(0));
    }

    @Test
    void nullElementsAreRefused() {
        assertThrows(NullPointerException.class, () -> ListValue.ofTrusted(new Value[] {Value.of(1), null}));
        assertThrows(NullPointerException.class, () -> new ListValue(null));
    }
}
