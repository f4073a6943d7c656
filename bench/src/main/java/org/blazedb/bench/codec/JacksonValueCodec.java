package org.blazedb.bench.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Jackson JSON or CBOR to and from the same value model BlazeBinary uses ({@link MapValue} and the
 * other {@code org.blazedb.api.value} types), so the codec comparison is like for like: every codec
 * starts from the same documents and must give back documents equal to them.
 *
 * <p>Jackson is used the way it is fastest: one reused factory, its streaming generator and parser
 * (no databind tree in between), Jackson's fast double writer and parser, definite-length CBOR
 * containers, field names from Jackson's symbol tables. Types JSON and CBOR lack are carried each
 * format's cheapest exact way:
 * <ul>
 *   <li>JSON: a timestamp is {@code {"$ts":<epoch milliseconds>}} (an ISO-8601 string instead of
 *       the number when it is not whole milliseconds), a UUID {@code {"$uuid":"8-4-4-4-12"}}, bytes
 *       {@code {"$bytes":"<base64>"}};</li>
 *   <li>CBOR: a timestamp is tag 1 (epoch-based date/time) on a float64 of seconds when that gives
 *       back the exact millisecond, otherwise tag 0 on an ISO-8601 string; a UUID is tag 37 on its 16
 *       bytes; bytes are a byte string.</li>
 * </ul>
 * Maps with a single key {@code $ts}, {@code $uuid} or {@code $bytes} are refused (the corpus has
 * none): this is a benchmark adapter, not a general JSON mapping (that is {@code JsonCodec}).
 * Instances are not thread-safe.
 */
public final class JacksonValueCodec {
    private static final int UUID_TAG = 37;
    private static final int EPOCH_TAG = 1;
    private static final int ISO_TAG = 0;
    private static final int MAX_DEPTH = 64;

    private final JsonFactory factory;
    private final boolean cbor;
    private final Output out = new Output();
    /**
     * Scratch arrays per nesting depth, reused from document to document: a map's keys and values
     * alternating (as {@link MapValue#ofEntriesTrusted} takes them), a list's elements.
     */
    private final Object[][] entryScratch = new Object[MAX_DEPTH + 1][32];
    private final Value[][] elementScratch = new Value[MAX_DEPTH + 1][16];

    private JacksonValueCodec(JsonFactory factory, boolean cbor) {
        this.factory = factory;
        this.cbor = cbor;
    }

    /** @return a JSON codec */
    public static JacksonValueCodec json() {
        return new JacksonValueCodec(JsonFactory.builder()
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build(), false);
    }

    /** @return a CBOR codec */
    public static JacksonValueCodec cbor() {
        return new JacksonValueCodec(CBORFactory.builder().build(), true);
    }

    /** @param doc a document @return its encoding */
    public byte[] encode(MapValue doc) throws IOException {
        out.reset();
        try (JsonGenerator g = factory.createGenerator(out)) {
            write(g, doc);
        }
        return out.toByteArray();
    }

    /** @param bytes an encoding from {@link #encode} @return the document */
    public MapValue decode(byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            Value v = readObject(p, 0);
            if (!(v instanceof MapValue)) {
                throw new IOException("not a document");
            }
            return (MapValue) v;
        }
    }

    private void write(JsonGenerator g, Value v) throws IOException {
        switch (v.type()) {
            case NULL -> g.writeNull();
            case BOOLEAN -> g.writeBoolean(((BoolValue) v).value());
            case INT -> g.writeNumber(((IntValue) v).value());
            case FLOAT -> g.writeNumber(((FloatValue) v).value());
            case STRING -> g.writeString(((StringValue) v).value());
            case BYTES -> writeBytes(g, ((BytesValue) v).toByteArray());
            case TIMESTAMP -> writeTimestamp(g, (TimestampValue) v);
            case UUID -> writeUuid(g, ((UuidValue) v).value());
            case LIST -> {
                List<Value> values = ((ListValue) v).values();
                g.writeStartArray(values, values.size());
                for (int i = 0, n = values.size(); i < n; i++) {
                    write(g, values.get(i));
                }
                g.writeEndArray();
            }
            case MAP -> {
                MapValue map = (MapValue) v;
                int n = map.size();
                if (n == 1 && map.keyAt(0).startsWith("$")) {
                    throw new IllegalArgumentException("a map with the single key " + map.keyAt(0) + " looks like a type tag");
                }
                g.writeStartObject(map, n);
                for (int i = 0; i < n; i++) {
                    g.writeFieldName(map.keyAt(i));
                    write(g, map.valueAt(i));
                }
                g.writeEndObject();
            }
            default -> throw new IllegalArgumentException("unknown type " + v.type());
        }
    }

    private void writeBytes(JsonGenerator g, byte[] bytes) throws IOException {
        if (cbor) {
            g.writeBinary(bytes);
        } else {
            g.writeStartObject();
            g.writeFieldName("$bytes");
            g.writeBinary(bytes);
            g.writeEndObject();
        }
    }

    private void writeTimestamp(JsonGenerator g, TimestampValue t) throws IOException {
        // the value's own numbers, as BlazeBinary's encoder reads them (no Instant in between)
        boolean wholeMillis = t.nano() % 1_000_000 == 0;
        long millis = wholeMillis ? Math.multiplyExact(t.epochSecond(), 1000L) + t.nano() / 1_000_000 : 0;
        if (cbor) {
            CBORGenerator c = (CBORGenerator) g;
            double seconds = millis / 1000.0;
            if (wholeMillis && Math.round(seconds * 1000) == millis) {
                c.writeTag(EPOCH_TAG);
                c.writeNumber(seconds);
            } else {
                c.writeTag(ISO_TAG);
                c.writeString(t.value().toString());
            }
            return;
        }
        g.writeStartObject();
        g.writeFieldName("$ts");
        if (wholeMillis) {
            g.writeNumber(millis);
        } else {
            g.writeString(t.value().toString());
        }
        g.writeEndObject();
    }

    private void writeUuid(JsonGenerator g, UUID u) throws IOException {
        if (cbor) {
            ((CBORGenerator) g).writeTag(UUID_TAG);
            g.writeBinary(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
            return;
        }
        g.writeStartObject();
        g.writeFieldName("$uuid");
        g.writeString(u.toString());
        g.writeEndObject();
    }

    /** Reads the value at the current token. */
    private Value read(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_NULL: return Value.nullValue();
            case VALUE_TRUE: return BoolValue.TRUE;
            case VALUE_FALSE: return BoolValue.FALSE;
            case VALUE_NUMBER_INT:
                if (cbor && ((CBORParser) p).getCurrentTag() == EPOCH_TAG) {
                    return new TimestampValue(p.getLongValue(), 0);
                }
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new IOException("integer beyond int64");
                }
                return new IntValue(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                if (cbor && ((CBORParser) p).getCurrentTag() == EPOCH_TAG) {
                    return TimestampValue.ofEpochMilli(Math.round(p.getDoubleValue() * 1000));
                }
                return new FloatValue(p.getDoubleValue());
            case VALUE_STRING:
                if (cbor && ((CBORParser) p).getCurrentTag() == ISO_TAG) {
                    return new TimestampValue(Instant.parse(p.getText()));
                }
                return new StringValue(p.getText());
            case VALUE_EMBEDDED_OBJECT:
                byte[] bytes = p.getBinaryValue();
                if (cbor && ((CBORParser) p).getCurrentTag() == UUID_TAG) {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    return new UuidValue(new UUID(b.getLong(), b.getLong()));
                }
                return new BytesValue(bytes);
            case START_ARRAY: return readArray(p, depth + 1);
            case START_OBJECT: return readObject(p, depth + 1);
            default: throw new IOException("unexpected " + t);
        }
    }

    private Value readArray(JsonParser p, int depth) throws IOException {
        checkDepth(depth);
        if (p.nextToken() == JsonToken.END_ARRAY) {
            return ListValue.EMPTY;
        }
        Value[] values = elementScratch[depth];
        int n = 0;
        do {
            Value v = read(p, depth);
            if (n == values.length) {
                values = elementScratch[depth] = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        } while (p.nextToken() != JsonToken.END_ARRAY);
        // an array of its own, as BlazeBinary's decoder hands over
        return ListValue.ofTrusted(Arrays.copyOf(values, n));
    }

    private Value readObject(JsonParser p, int depth) throws IOException {
        checkDepth(depth);
        if (p.nextToken() == JsonToken.END_OBJECT) {
            return MapValue.EMPTY;
        }
        String first = p.currentName();
        if (!cbor && first.startsWith("$")) {
            Value tagged = readTagged(p, first);
            if (tagged != null) {
                return tagged;
            }
        }
        Object[] entries = entryScratch[depth];
        int n = 0; // keys and values so far
        boolean sorted = true;
        do {
            String key = p.currentName();
            p.nextToken();
            Value v = read(p, depth);
            if (n == entries.length) {
                entries = entryScratch[depth] = Arrays.copyOf(entries, n * 2);
            }
            if (n > 0 && Value.KEY_ORDER.compare((String) entries[n - 2], key) >= 0) {
                sorted = false;
            }
            entries[n++] = key;
            entries[n++] = v;
        } while (p.nextToken() != JsonToken.END_OBJECT);
        // the order was checked while reading, as BlazeBinary's decoder does, so the trusted factory
        // is fair; and like it, the map gets one array of its own
        return sorted ? MapValue.ofEntriesTrusted(Arrays.copyOf(entries, n)) : unsorted(entries, n);
    }

    private static MapValue unsorted(Object[] entries, int n) {
        Map<String, Value> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i += 2) {
            if (map.put((String) entries[i], (Value) entries[i + 1]) != null) {
                throw new IllegalArgumentException("duplicate key " + entries[i]);
            }
        }
        return MapValue.of(map);
    }

    /** @return the value of a JSON type tag object, or null if this object is a plain map (p is then unmoved) */
    private Value readTagged(JsonParser p, String name) throws IOException {
        Value v;
        switch (name) {
            case "$ts" -> {
                JsonToken t = p.nextToken();
                v = t == JsonToken.VALUE_NUMBER_INT ? TimestampValue.ofEpochMilli(p.getLongValue()) : new TimestampValue(Instant.parse(p.getText()));
            }
            case "$uuid" -> {
                p.nextToken();
                v = new UuidValue(UUID.fromString(p.getText()));
            }
            case "$bytes" -> {
                p.nextToken();
                v = new BytesValue(p.getBinaryValue());
            }
            default -> {
                return null;
            }
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw new IOException("a " + name + " object has more than one key");
        }
        return v;
    }

    private static void checkDepth(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nested deeper than " + MAX_DEPTH);
        }
    }

    /** A reusable output buffer: {@code toByteArray} copies, as BlazeBinary's encoder does. */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(1024);
        }
    }
}
