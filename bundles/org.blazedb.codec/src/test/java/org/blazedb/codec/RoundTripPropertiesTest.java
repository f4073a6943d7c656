package org.blazedb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.blazedb.api.Operation;
import org.blazedb.api.value.FloatValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.Value;

/** decode(encode(x)) == x, equal values give equal bytes, and JSON round trips, over random data. */
class RoundTripPropertiesTest {
    @Provide
    Arbitrary<Value> values() {
        return ValueArbitraries.values(3);
    }

    @Provide
    Arbitrary<MapValue> documents() {
        return ValueArbitraries.documents(3);
    }

    @Provide
    Arbitrary<Operation> operations() {
        return ValueArbitraries.operations();
    }

    @Property(tries = 500)
    void valuesRoundTrip(@ForAll("values") Value v) {
        byte[] bytes = BlazeBinary.encodeValue(v);
        assertEquals(v, BlazeBinary.decodeValue(bytes));
    }

    @Property(tries = 500)
    void documentsRoundTrip(@ForAll("documents") MapValue doc) {
        byte[] bytes = BlazeBinary.encodeDocument(doc);
        assertEquals(doc, BlazeBinary.decodeDocument(bytes));
        assertArrayEquals(bytes, BlazeBinary.encodeValue(doc), "a document is encoded as its map value");
    }

    @Property(tries = 500)
    void equalValuesGiveEqualBytes(@ForAll("values") Value v) {
        Value twin = rebuild(v);
        assertEquals(v, twin);
        byte[] bytes = BlazeBinary.encodeValue(v);
        assertArrayEquals(bytes, BlazeBinary.encodeValue(twin));
        assertArrayEquals(bytes, BlazeBinary.encodeValue(BlazeBinary.decodeValue(bytes)), "decoding keeps the canonical form");
    }

    @Property(tries = 500)
    void jsonRoundTrips(@ForAll("values") Value v) {
        String json = JsonCodec.write(v);
        assertEquals(v, JsonCodec.parse(json), json);
    }

    @Property(tries = 300)
    void operationsRoundTrip(@ForAll("operations") Operation op) {
        byte[] bytes = BlazeBinary.encodeOperation(op);
        assertEquals(op, BlazeBinary.decodeOperation(bytes));
        BlazeWriter w = new BlazeWriter();
        w.writeOperation(op).writeOperation(op);
        BlazeReader r = new BlazeReader(w.toByteArray());
        assertEquals(op, r.readOperation());
        assertEquals(op, r.readOperation());
        r.expectEnd();
    }

    @Property(tries = 100)
    void batchesRoundTrip(@ForAll("operations") Operation a, @ForAll("operations") Operation b) {
        List<Operation> ops = List.of(a, b, a, b, a);
        assertEquals(ops, BlazeBinary.decodeBatch(BlazeBinary.encodeBatch(ops)));
        assertEquals(ops, BlazeBinary.decodeBatch(BlazeBinary.encodeBatch(ops, false)));
    }

    /**
     * An equal value built another way: maps filled in a shuffled order, fresh strings, NaN with
     * another bit pattern.
     */
    static Value rebuild(Value v) {
        if (v instanceof MapValue) {
            List<Map.Entry<String, Value>> entries = new ArrayList<>(((MapValue) v).entries().entrySet());
            Collections.shuffle(entries);
            Map<String, Value> copy = new HashMap<>();
            for (Map.Entry<String, Value> e : entries) {
                copy.put(new String(e.getKey().toCharArray()), rebuild(e.getValue()));
            }
            return MapValue.of(copy);
        }
        if (v instanceof ListValue) {
            List<Value> copy = new ArrayList<>();
            ((ListValue) v).values().forEach(e -> copy.add(rebuild(e)));
            return new ListValue(copy);
        }
        if (v instanceof FloatValue && Double.isNaN(((FloatValue) v).value())) {
            return Value.of(Double.longBitsToDouble(0xfff0000000000123L));
        }
        if (v instanceof StringValue) {
            return Value.of(new String(((StringValue) v).value().toCharArray()));
        }
        return v;
    }
}
