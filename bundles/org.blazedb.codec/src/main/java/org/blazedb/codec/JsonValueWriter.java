package org.blazedb.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
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

/** Writes values to a Jackson generator, by the JSON mapping {@link JsonCodec} documents. */
final class JsonValueWriter {
    private JsonValueWriter() {
    }

    static void write(JsonGenerator g, Value v, int depth) throws IOException {
        switch (v.type()) {
            case NULL:
                g.writeNull();
                break;
            case BOOLEAN:
                g.writeBoolean(((BoolValue) v).value());
                break;
            case INT:
                g.writeNumber(((IntValue) v).value());
                break;
            case FLOAT:
                writeFloat(g, ((FloatValue) v).value());
                break;
            case STRING:
                g.writeString(((StringValue) v).value());
                break;
            case BYTES:
                tagged(g, JsonValueReader.BYTES, Base64.getEncoder().encodeToString(((BytesValue) v).toByteArray()));
                break;
            case TIMESTAMP:
                tagged(g, JsonValueReader.TIMESTAMP, ((TimestampValue) v).value().toString());
                break;
            case UUID:
                tagged(g, JsonValueReader.UUID_TAG, ((UuidValue) v).value().toString());
                break;
            case LIST:
                checkDepth(depth + 1);
                g.writeStartArray();
                for (Value e : ((ListValue) v).values()) {
                    write(g, e, depth + 1);
                }
                g.writeEndArray();
                break;
            case MAP:
                writeMap(g, (MapValue) v, depth + 1);
                break;
            default:
                throw new IllegalStateException("Unknown value type " + v.type());
        }
    }

    private static void writeFloat(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d)) {
            tagged(g, JsonValueReader.FLOAT, "NaN");
        } else if (Double.isInfinite(d)) {
            tagged(g, JsonValueReader.FLOAT, d > 0 ? "Infinity" : "-Infinity");
        } else {
            // Double.toString always has a '.' or an exponent, so it reads back as a float
            g.writeNumber(Double.toString(d));
        }
    }

    private static void writeMap(JsonGenerator g, MapValue map, int depth) throws IOException {
        checkDepth(depth);
        boolean escape = JsonValueReader.needsEscape(map.entries());
        if (escape) {
            g.writeStartObject();
            g.writeFieldName(JsonValueReader.MAP);
        }
        g.writeStartObject();
        for (Map.Entry<String, Value> e : map.entries().entrySet()) {
            g.writeFieldName(e.getKey());
            write(g, e.getValue(), depth);
        }
        g.writeEndObject();
        if (escape) {
            g.writeEndObject();
        }
    }

    private static void tagged(JsonGenerator g, String tag, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField(tag, text);
        g.writeEndObject();
    }

    private static void checkDepth(int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw new BlazeException(ErrorCode.INVALID_VALUE,
                    "A value nests lists and maps deeper than MAX_DEPTH (" + Limits.MAX_DEPTH + ")");
        }
    }
}
