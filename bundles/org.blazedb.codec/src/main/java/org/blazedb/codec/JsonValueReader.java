package org.blazedb.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.BytesValue;
import org.blazedb.api.value.FloatValue;
import org.blazedb.api.value.IntValue;
import org.blazedb.api.value.ListValue;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.StringValue;
import org.blazedb.api.value.TimestampValue;
import org.blazedb.api.value.UuidValue;
import org.blazedb.api.value.Value;

/** Builds values from Jackson parser tokens, by the JSON mapping {@link JsonCodec} documents. */
final class JsonValueReader {
    static final String BYTES = "$bytes";
    static final String TIMESTAMP = "$timestamp";
    static final String UUID_TAG = "$uuid";
    static final String FLOAT = "$float";
    static final String MAP = "$map";

    private JsonValueReader() {
    }

    static boolean isTag(String key) {
        return key.equals(BYTES) || key.equals(TIMESTAMP) || key.equals(UUID_TAG) || key.equals(FLOAT) || key.equals(MAP);
    }

    /**
     * Reads the value whose first token is the parser's current token. Objects are first read as
     * they are, then {@link #interpret interpreted}: only once an object is complete is it known
     * whether it is a tag object, and a {@code $map} escape changes how its inner object is read.
     */
    static Value read(JsonParser p, int depth) throws IOException {
        return interpret(p, readRaw(p, depth), 0);
    }

    private static Value readRaw(JsonParser p, int depth) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case VALUE_NULL:
                return Value.nullValue();
            case VALUE_TRUE:
                return Value.of(true);
            case VALUE_FALSE:
                return Value.of(false);
            case VALUE_STRING:
                return new StringValue(wellFormed(p, p.getText(), "string"));
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw invalid(p, "integer " + abbreviate(p.getText()) + " is beyond int64;"
                            + " write it as a string, or as a float such as 1.5e20 if rounding is acceptable");
                }
                return new IntValue(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return readFloat(p);
            case START_ARRAY:
                checkRawDepth(p, depth + 1);
                List<Value> values = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    values.add(readRaw(p, depth + 1));
                }
                return new ListValue(values);
            case START_OBJECT:
                checkRawDepth(p, depth + 1);
                MapValue.Builder map = MapValue.builder();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    wellFormed(p, key, "field name");
                    p.nextToken();
                    map.put(key, readRaw(p, depth + 1));
                }
                return map.build();
            default:
                throw invalid(p, "unexpected " + token);
        }
    }

    private static Value readFloat(JsonParser p) throws IOException {
        String text = p.getText();
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
            throw invalid(p, "number " + abbreviate(text) + " is beyond float64");
        }
        if (d == 0 && hasNonZeroMantissa(text)) {
            throw invalid(p, "number " + abbreviate(text) + " is too small for float64 and would become 0");
        }
        return new FloatValue(d);
    }

    private static boolean hasNonZeroMantissa(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /**
     * Turns tag objects into typed values: the exact inverse of {@link JsonValueWriter}. Returns
     * {@code raw} itself when nothing inside it changes.
     */
    private static Value interpret(JsonParser p, Value raw, int depth) {
        if (raw instanceof ListValue) {
            checkDepth(p, depth + 1);
            List<Value> in = ((ListValue) raw).values();
            List<Value> out = null;
            for (int i = 0; i < in.size(); i++) {
                Value v = interpret(p, in.get(i), depth + 1);
                if (v != in.get(i) && out == null) {
                    out = new ArrayList<>(in.subList(0, i));
                }
                if (out != null) {
                    out.add(v);
                }
            }
            return out == null ? raw : new ListValue(out);
        }
        if (!(raw instanceof MapValue)) {
            return raw;
        }
        MapValue map = (MapValue) raw;
        if (needsEscape(map.entries())) {
            Map.Entry<String, Value> only = map.entries().entrySet().iterator().next();
            if (!only.getKey().equals(MAP)) {
                return fromTag(p, only.getKey(), only.getValue());
            }
            if (!(only.getValue() instanceof MapValue)) {
                throw invalid(p, "\"$map\" must hold an object");
            }
            map = (MapValue) only.getValue();
        }
        checkDepth(p, depth + 1);
        MapValue.Builder out = null;
        for (Map.Entry<String, Value> e : map.entries().entrySet()) {
            Value v = interpret(p, e.getValue(), depth + 1);
            if (v != e.getValue() && out == null) {
                out = MapValue.builder();
                for (Map.Entry<String, Value> before : map.entries().headMap(e.getKey()).entrySet()) {
                    out.put(before.getKey(), before.getValue());
                }
            }
            if (out != null) {
                out.put(e.getKey(), v);
            }
        }
        return out == null ? map : out.build();
    }

    private static Value fromTag(JsonParser p, String tag, Value v) {
        if (!(v instanceof StringValue)) {
            throw invalid(p, "\"" + tag + "\" must hold a string");
        }
        String s = ((StringValue) v).value();
        try {
            switch (tag) {
                case BYTES:
                    return new BytesValue(Base64.getDecoder().decode(s));
                case TIMESTAMP:
                    return new TimestampValue(DateTimeFormatter.ISO_INSTANT.parse(s, Instant::from));
                case UUID_TAG:
                    UUID u = UUID.fromString(s);
                    if (!u.toString().equalsIgnoreCase(s)) {
                        throw new IllegalArgumentException("not in 8-4-4-4-12 form");
                    }
                    return new UuidValue(u);
                default:
                    return new FloatValue(nonFinite(s));
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            throw invalid(p, "\"" + tag + "\" value \"" + abbreviate(s) + "\" is not valid: " + e.getMessage());
        }
    }

    private static double nonFinite(String s) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default: throw new IllegalArgumentException("expected NaN, Infinity or -Infinity");
        }
    }

    /** Tag objects and $map escapes add JSON levels that are no value levels: allow for them. */
    private static void checkRawDepth(JsonParser p, int depth) {
        if (depth > 2 * Limits.MAX_DEPTH + 1) {
            throw invalid(p, "arrays and objects nested deeper than MAX_DEPTH (" + Limits.MAX_DEPTH + ")");
        }
    }

    private static void checkDepth(JsonParser p, int depth) {
        if (depth > Limits.MAX_DEPTH) {
            throw invalid(p, "arrays and objects nested deeper than MAX_DEPTH (" + Limits.MAX_DEPTH + ")");
        }
    }

    /**
     * JSON may escape half of a surrogate pair on its own ({@code "\ud800"}); BlazeDB stores text
     * as UTF-8, which cannot hold it, so such text is refused here, where the error can say where
     * it is, rather than when the value is first encoded.
     *
     * @return {@code text}, if it holds no unpaired surrogate
     */
    private static String wellFormed(JsonParser p, String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(p, "the " + what + " holds an unpaired surrogate (\\u" + Integer.toHexString(c)
                        + ") at character " + i + ", which UTF-8 cannot store");
            }
        }
        return text;
    }

    static BlazeException invalid(JsonParser p, String problem) {
        JsonLocation at = p.currentTokenLocation();
        return new BlazeException(ErrorCode.INVALID_VALUE,
                "Invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + problem);
    }

    static BlazeException invalid(IOException e) {
        if (e instanceof JacksonException) {
            JacksonException je = (JacksonException) e;
            JsonLocation at = je.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new BlazeException(ErrorCode.INVALID_VALUE, "Invalid JSON" + where + ": " + je.getOriginalMessage(), e);
        }
        return new BlazeException(ErrorCode.INVALID_VALUE, "Invalid JSON: " + e.getMessage(), e);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** @return whether a map must be written as {@code {"$map": ...}} to be read back as a map */
    static boolean needsEscape(Map<String, Value> entries) {
        return entries.size() == 1 && isTag(entries.keySet().iterator().next());
    }
}
