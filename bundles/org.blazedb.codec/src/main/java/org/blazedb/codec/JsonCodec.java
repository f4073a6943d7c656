package org.blazedb.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.*;

/**
 * Converts between JSON text and values. Objects become maps, arrays lists, integral numbers
 * int64, other numbers float64; bytes, timestamps and UUIDs are written as strings.
 */
public final class JsonCodec {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonCodec() {
    }

    /** @param json JSON text @return the value */
    public static Value parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Empty JSON text");
            }
            Value v = read(p, t, 0);
            if (p.nextToken() != null) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Trailing content after the JSON value");
            }
            return v;
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "Invalid JSON: " + e.getMessage(), e);
        }
    }

    /** @param json a JSON object @return its fields */
    public static MapValue parseDocument(String json) {
        Value v = parse(json);
        if (v instanceof MapValue m) {
            return m;
        }
        throw new BlazeException(ErrorCode.INVALID_VALUE, "A document is a JSON object, got " + v.type());
    }

    private static Value read(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > Limits.MAX_DEPTH) {
            throw new BlazeException(ErrorCode.LIMIT_EXCEEDED, "JSON nested deeper than " + Limits.MAX_DEPTH);
        }
        switch (t) {
            case START_OBJECT: {
                TreeMap<String, Value> m = new TreeMap<>(Value.KEY_ORDER);
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken(), depth + 1));
                }
                return MapValue.of(m);
            }
            case START_ARRAY: {
                List<Value> l = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, t, depth + 1));
                }
                return Value.of(l);
            }
            case VALUE_STRING:
                return Value.of(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new BlazeException(ErrorCode.INVALID_VALUE, "Integer beyond int64: " + p.getText());
                }
                return Value.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return Value.of(p.getDoubleValue());
            case VALUE_TRUE:
                return Value.of(true);
            case VALUE_FALSE:
                return Value.of(false);
            case VALUE_NULL:
                return Value.nullValue();
            default:
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Unexpected JSON token " + t);
        }
    }

    /** @param v a value @return compact JSON text */
    public static String write(Value v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "Cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Value v) throws IOException {
        switch (v.type()) {
            case NULL -> g.writeNull();
            case BOOLEAN -> g.writeBoolean(((BoolValue) v).value());
            case INT -> g.writeNumber(((IntValue) v).value());
            case FLOAT -> g.writeNumber(((FloatValue) v).value());
            case STRING -> g.writeString(((StringValue) v).value());
            case BYTES -> g.writeString(java.util.Base64.getEncoder().encodeToString(((BytesValue) v).toByteArray()));
            case TIMESTAMP, UUID -> g.writeString(v.toString());
            case LIST -> {
                ListValue l = (ListValue) v;
                g.writeStartArray();
                for (int i = 0; i < l.size(); i++) {
                    write(g, l.get(i));
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<String, Value> e : ((MapValue) v).entries().entrySet()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
        }
    }
}
