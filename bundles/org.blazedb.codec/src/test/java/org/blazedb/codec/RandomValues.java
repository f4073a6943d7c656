package org.blazedb.codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/** Seeded random values and operations, for the fuzzer's seed corpus and for golden data. */
final class RandomValues {
    private static final String[] KEYS = {"id", "name", "email", "age", "tags", "price", "qty", "created", "a", "é", "\uD83D\uDE00", "$bytes", "$map",
        "", "user_id", "X-Trace-Id", "attr10", "shippingAddressLine2", "a_packed_identifier_longer_than_32_characters", "total price"};
    private static final NodeId[] NODES = {new NodeId(1, 2), new NodeId(-1, 7), new NodeId(0x1234, 0x5678)};

    private final Random random;

    RandomValues(long seed) {
        this.random = new Random(seed);
    }

    Value value(int depth) {
        int kind = random.nextInt(depth > 0 ? 13 : 11);
        switch (kind) {
            case 0: return Value.nullValue();
            case 1: return Value.of(random.nextBoolean());
            case 2: return Value.of(random.nextInt(200) - 50L);
            case 3: return Value.of(random.nextLong() >> random.nextInt(64));
            case 4: return Value.of(floatValue());
            case 5: return Value.of(string(random.nextInt(4) == 0 ? 100 : 12));
            case 6: {
                byte[] b = new byte[random.nextInt(20)];
                random.nextBytes(b);
                return Value.of(b);
            }
            case 7: return Value.of(timestamp());
            case 8: return Value.of(new UUID(random.nextLong(), random.nextLong()));
            case 9: return Value.of(string(3));
            case 10: return Value.of((long) random.nextInt(64));
            case 11: return list(depth - 1);
            default: return map(depth - 1);
        }
    }

    double floatValue() {
        switch (random.nextInt(6)) {
            case 0: return random.nextInt(100000) / 100.0;
            case 1: return random.nextDouble();
            case 2: return Double.longBitsToDouble(random.nextLong());
            case 3: return new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE}[random.nextInt(6)];
            case 4: return random.nextInt(1000);
            default: return -random.nextInt(1_000_000) / 1000.0;
        }
    }

    Instant timestamp() {
        long seconds = 1_600_000_000L + random.nextInt(200_000_000);
        switch (random.nextInt(4)) {
            case 0: return Instant.ofEpochSecond(seconds, random.nextInt(1000) * 1_000_000L);
            case 1: return Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));
            case 2: return Instant.ofEpochSecond(random.nextBoolean() ? Instant.MIN.getEpochSecond() : Instant.MAX.getEpochSecond(), random.nextInt(1_000_000_000));
            default: return Instant.ofEpochSecond(-seconds);
        }
    }

    String string(int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(10);
            if (c < 7) {
                sb.append((char) ('a' + random.nextInt(26)));
            } else if (c == 7) {
                sb.append((char) (0x80 + random.nextInt(0x700)));
            } else if (c == 8) {
                sb.append((char) (0x3000 + random.nextInt(0x100)));
            } else {
                sb.appendCodePoint(0x1F600 + random.nextInt(0x40));
            }
        }
        return sb.toString();
    }

    ListValue list(int depth) {
        int n = random.nextInt(4) == 0 ? 16 + random.nextInt(8) : random.nextInt(5);
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(value(depth));
        }
        return new ListValue(values);
    }

    MapValue map(int depth) {
        int n = random.nextInt(5) == 0 ? 16 + random.nextInt(6) : random.nextInt(8);
        TreeMap<String, Value> entries = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String key = random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)] : string(8);
            entries.put(key, value(depth));
        }
        return MapValue.of(entries);
    }

    Operation operation() {
        NodeId origin = NODES[random.nextInt(NODES.length)];
        OperationKind kind = OperationKind.values()[random.nextInt(3)];
        MapValue fields = kind == OperationKind.DELETE ? MapValue.EMPTY : map(2);
        Set<String> unset = new HashSet<>();
        if (kind == OperationKind.PATCH) {
            for (int i = random.nextInt(3); i > 0; i--) {
                String name = "gone" + random.nextInt(5);
                if (!fields.entries().containsKey(name)) {
                    unset.add(name);
                }
            }
        }
        TreeMap<NodeId, Long> context = new TreeMap<>();
        for (NodeId node : NODES) {
            if (random.nextBoolean()) {
                context.put(node, 1L + random.nextInt(1000));
            }
        }
        return new Operation(new OpId(origin, 1L + random.nextInt(100_000)),
                new Hlc(1_700_000_000_000L + random.nextInt(1_000_000), random.nextInt(4), origin),
                "users", "doc-" + random.nextInt(1000), kind, fields, Operation.unsetOf(unset), VersionVector.of(context));
    }

    List<Operation> operations(int n) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(operation());
        }
        return ops;
    }
}
