package org.blazedb.codec;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/** jqwik generators of values, documents and operations, biased toward the format's edge cases. */
final class ValueArbitraries {
    private ValueArbitraries() {
    }

    static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    /** Strings of Unicode scalar values (no unpaired surrogates), sometimes 64 UTF-8 bytes or longer. */
    static Arbitrary<String> strings(int maxCodePoints) {
        return codePoints().list().ofMaxSize(maxCodePoints).map(ValueArbitraries::fromCodePoints);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("id", "name", "a", "b", "tags", "é", "\uD83D\uDE00", "$bytes", "$map", "$uuid", "$float", "$timestamp", "",
                        "user_id", "X-Trace-Id", "attr10", "attr9", "shippingAddressLine2", "a_packed_identifier_longer_than_32_characters", "a.b"),
                strings(6));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.doubles().between(-1000, 1000).ofScale(2),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE,
                        0.1, 19.99, 1e15, 0x1p39, 549755813887.5, 1e-15, 123456789.012345));
    }

    static Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                Arbitraries.longs().between(-100_000_000_000L, 100_000_000_000L));
        Arbitrary<Long> nanos = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 999_999_999),
                Arbitraries.longs().between(0, 999).map(ms -> ms * 1_000_000));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    static Arbitrary<Value> leaves() {
        return Arbitraries.oneOf(
                Arbitraries.just(Value.nullValue()),
                Arbitraries.of(true, false).map(Value::of),
                Arbitraries.longs().map(Value::of),
                Arbitraries.longs().between(-70, 70).map(Value::of),
                doubles().map(Value::of),
                strings(80).map(Value::of),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(70).map(Value::of),
                instants().map(Value::of),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new).map(Value::of));
    }

    static Arbitrary<Value> values(int depth) {
        if (depth == 0) {
            return leaves();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(5, leaves()),
                Tuple.of(1, Arbitraries.lazy(() -> lists(depth - 1))),
                Tuple.of(1, Arbitraries.lazy(() -> maps(depth - 1))));
    }

    static Arbitrary<Value> lists(int depth) {
        return values(depth).list().ofMaxSize(20).map(ListValue::new);
    }

    static Arbitrary<Value> maps(int depth) {
        return documents(depth).map(m -> m);
    }

    /** Maps up to {@code depth} levels below the top one, sometimes 16 entries or more. */
    static Arbitrary<MapValue> documents(int depth) {
        return Arbitraries.maps(keys(), values(depth)).ofMaxSize(20).map(MapValue::of);
    }

    static Arbitrary<NodeId> nodeIds() {
        return Arbitraries.oneOf(
                Arbitraries.of(new NodeId(0, 1), new NodeId(-1, -1), new NodeId(Long.MIN_VALUE, 0)),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(NodeId::new));
    }

    static Arbitrary<Operation> operations() {
        Arbitrary<OpId> ids = Combinators.combine(nodeIds(), Arbitraries.longs().between(1, Long.MAX_VALUE)).as(OpId::new);
        Arbitrary<VersionVector> contexts = Arbitraries.maps(nodeIds(), Arbitraries.longs().between(0, Long.MAX_VALUE))
                .ofMaxSize(5).map(VersionVector::of);
        Arbitrary<Set<String>> unsets = keys().set().ofMaxSize(4);
        Arbitrary<Hlc> stamps = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(0, Integer.MAX_VALUE)).as((wall, counter) -> new Hlc(wall, counter, new NodeId(0, 0)));
        return Combinators.combine(ids, stamps, strings(10), strings(20), Arbitraries.of(OperationKind.class), documents(2), unsets, contexts)
                .as((id, stamp, collection, documentId, kind, fields, unset, context) -> new Operation(id,
                        new Hlc(stamp.wallTime(), stamp.counter(), id.origin()), collection, documentId, kind,
                        kind == OperationKind.DELETE ? MapValue.EMPTY : fields,
                        Operation.unsetOf(kind == OperationKind.PATCH ? unset : Set.of()), context));
    }
}
