package org.blazedb.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.blazedb.api.Hlc;
import org.blazedb.api.NodeId;
import org.blazedb.api.OpId;
import org.blazedb.api.Operation;
import org.blazedb.api.OperationKind;
import org.blazedb.api.VersionVector;
import org.blazedb.api.value.BoolValue;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.FloatValue;
import org.blazedb.api.value.IntValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.TimestampValue;
import org.blazedb.api.value.UuidValue;
import org.blazedb.api.value.Value;

/**
 * The benchmark corpus: seeded, realistic documents of 5 to 30 fields (user/order records with
 * names, e-mail addresses, numbers, prices, timestamps, tags, a nested address with coordinates,
 * a list of order lines, and a varying number of extra attributes), the same documents as Jackson
 * trees, and operations carrying them.
 */
public final class Corpus {
    private static final String[] WORDS = ("alpha beta gamma delta red green blue black white fast slow new old "
            + "premium basic trial admin editor viewer berlin paris london tokyo madrid rome oslo vienna prague "
            + "lisbon dublin warsaw coffee tea water bread cheese apple orange lemon cherry grape mango melon "
            + "north south east west river lake hill forest garden street road square bridge tower castle").split(" ");
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Leslie", "Margaret", "Ken", "Niklaus", "Radia", "Frances"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Lamport", "Hamilton", "Thompson", "Wirth", "Perlman", "Allen"};
    static final NodeId NODE = new NodeId(0x0123456789abcdefL, 0x0011223344556677L);

    private final Random random;

    private Corpus(long seed) {
        random = new Random(seed);
    }

    /** @param n how many @param seed the seed @return n documents */
    public static List<MapValue> documents(int n, long seed) {
        Corpus c = new Corpus(seed);
        List<MapValue> docs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            docs.add(c.document(i));
        }
        return docs;
    }

    /** @param docs documents @return one PUT operation per document, in sequence */
    public static List<Operation> operations(List<MapValue> docs) {
        List<Operation> ops = new ArrayList<>(docs.size());
        long seq = 1;
        for (MapValue doc : docs) {
            ops.add(new Operation(new OpId(NODE, seq), new Hlc(1_732_500_000_000L + seq * 7, 0, NODE), "users",
                    "user-" + seq, OperationKind.PUT, doc, Operation.noUnset(), VersionVector.of(Map.of(NODE, seq - 1))));
            seq++;
        }
        return ops;
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private Instant recent() {
        return Instant.ofEpochMilli(1_700_000_000_000L + (long) (random.nextDouble() * 40_000_000_000L));
    }

    private MapValue document(int i) {
        MapValue.Builder b = MapValue.builder();
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        b.put("id", Value.of(new UUID(random.nextLong(), random.nextLong())));
        b.put("name", first + " " + last);
        b.put("email", first.toLowerCase() + "." + last.toLowerCase() + i + "@example.com");
        b.put("age", 18 + random.nextInt(70));
        b.put("created", Value.of(recent()));
        int fields = 5 + random.nextInt(26);
        List<Runnable> optional = List.of(
            () -> b.put("active", random.nextBoolean()),
            () -> b.put("score", random.nextInt(10000) / 100.0),
            () -> b.put("updated", Value.of(recent())),
            () -> b.put("tags", tags()),
            () -> b.put("address", address()),
            () -> b.put("orders", orders()),
            () -> b.put("plan", word()),
            () -> b.put("logins", (long) random.nextInt(100_000)),
            // offset the integer, not the double: 17372.13, as a person or an API would write it,
            // rather than the 17372.129999999997 that subtracting after dividing gives
            () -> b.put("balance", (random.nextInt(10_000_000) - 2_000_000) / 100.0),
            () -> b.put("bio", sentence(8 + random.nextInt(20))),
            () -> b.put("ratio", random.nextDouble()),
            () -> b.put("lastSeen", Value.of(recent())));
        for (int f = 5; f < fields; f++) {
            if (f - 5 < optional.size()) {
                optional.get(f - 5).run();
            } else {
                b.put("attr" + (f - 5 - optional.size()), attribute());
            }
        }
        return b.build();
    }

    private Value attribute() {
        switch (random.nextInt(5)) {
            case 0: return Value.of(word());
            case 1: return Value.of((long) random.nextInt(1000));
            case 2: return Value.of(random.nextInt(100_000) / 100.0);
            case 3: return Value.of(random.nextBoolean());
            default: return Value.of(recent());
        }
    }

    private String sentence(int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(word());
        }
        return sb.toString();
    }

    private ListValue tags() {
        List<Value> tags = new ArrayList<>();
        for (int t = random.nextInt(6); t > 0; t--) {
            tags.add(Value.of(word()));
        }
        return new ListValue(tags);
    }

    private MapValue address() {
        return MapValue.builder()
                .put("street", random.nextInt(200) + " " + word() + " " + word())
                .put("city", word()).put("zip", String.format("%05d", random.nextInt(100_000)))
                .put("country", random.nextBoolean() ? "DE" : "FR")
                .put("geo", MapValue.builder().put("lat", (random.nextInt(180_000_000) - 90_000_000) / 1e6)
                        .put("lon", (random.nextInt(360_000_000) - 180_000_000) / 1e6).build())
                .build();
    }

    private ListValue orders() {
        List<Value> orders = new ArrayList<>();
        for (int o = random.nextInt(5); o > 0; o--) {
            orders.add(MapValue.builder().put("sku", word().toUpperCase() + "-" + random.nextInt(1000))
                    .put("qty", 1 + random.nextInt(5)).put("price", random.nextInt(20_000) / 100.0)
                    .put("at", Value.of(recent())).build());
        }
        return new ListValue(orders);
    }

    /**
     * @param v a value
     * @return the Jackson tree JSON and CBOR would carry for it: timestamps as ISO-8601 text and
     *         UUIDs as text (what a JSON document holds), bytes as a binary node
     */
    public static JsonNode toTree(Value v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (v.type()) {
            case NULL: return f.nullNode();
            case BOOLEAN: return f.booleanNode(((BoolValue) v).value());
            case INT: return f.numberNode(((IntValue) v).value());
            case FLOAT: return f.numberNode(((FloatValue) v).value());
            case STRING: return f.textNode(((StringValue) v).value());
            case BYTES: return f.binaryNode(((BytesValue) v).toByteArray());
            case TIMESTAMP: return f.textNode(((TimestampValue) v).value().toString());
            case UUID: return f.textNode(((UuidValue) v).value().toString());
            case LIST:
                ArrayNode array = f.arrayNode();
                ((ListValue) v).values().forEach(e -> array.add(toTree(e)));
                return array;
            default:
                ObjectNode object = f.objectNode();
                ((MapValue) v).entries().forEach((k, e) -> object.set(k, toTree(e)));
                return object;
        }
    }

    /** @param op an operation @return it as a JSON object, for comparing batch sizes with JSON */
    public static JsonNode toTree(Operation op) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("origin", op.id().origin().toString()).put("seq", op.id().sequence())
                .put("wall", op.stamp().wallTime()).put("counter", op.stamp().counter())
                .put("collection", op.collection()).put("documentId", op.documentId()).put("kind", op.kind().name());
        o.set("fields", toTree(op.fields()));
        ObjectNode context = o.putObject("context");
        op.context().entries().forEach((node, seq) -> context.put(node.toString(), seq));
        return o;
    }
}
