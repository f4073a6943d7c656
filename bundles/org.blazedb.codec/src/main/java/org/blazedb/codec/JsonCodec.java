package org.blazedb.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * JSON in and out, for the shell, import/export and debugging, through Jackson's streaming parser
 * and generator. Every BlazeDB value has a JSON form, so {@code parse(write(v)).equals(v)} for
 * every value whose strings are valid Unicode:
 *
 * <ul>
 *   <li>null, booleans, strings, lists and maps are themselves;</li>
 *   <li>an integer is a JSON integer; a JSON integer beyond int64 is refused
 *       ({@link ErrorCode#INVALID_VALUE}), never rounded;</li>
 *   <li>a float is a JSON number with a fraction or exponent ({@code 5.0}, {@code 1.0E20},
 *       {@code -0.0}), parsed to the nearest double; a number too large for a double, or a non-zero
 *       number too small for one, is refused; NaN and the infinities are
 *       {@code {"$float":"NaN"}}, {@code {"$float":"Infinity"}}, {@code {"$float":"-Infinity"}};</li>
 *   <li>bytes are {@code {"$bytes":"<base64>"}} (RFC 4648 with padding);</li>
 *   <li>a timestamp is {@code {"$timestamp":"2024-03-01T10:15:30.123Z"}} (ISO-8601, UTC; an offset is
 *       accepted on input);</li>
 *   <li>a UUID is {@code {"$uuid":"0f8fad5b-d9cb-469f-a165-70867728950e"}};</li>
 *   <li>an object with exactly one key, that key being one of {@code $bytes}, {@code $timestamp},
 *       {@code $uuid}, {@code $float} or {@code $map}, is always such a tag. A map that happens to
 *       look like one is written as {@code {"$map":{...}}}, whose inner object is taken literally.</li>
 * </ul>
 *
 * Nesting is bounded by {@link Limits#MAX_DEPTH}. All methods are thread-safe.
 */
public final class JsonCodec {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonCodec() {
    }

    /**
     * @param json one JSON value, nothing after it but whitespace
     * @return the value
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if the text is not valid JSON or
     *                        holds a value BlazeDB cannot represent exactly
     */
    public static Value parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new BlazeException(ErrorCode.INVALID_VALUE, "Invalid JSON: the text is empty");
            }
            Value v = JsonValueReader.read(p, 0);
            if (p.nextToken() != null) {
                throw JsonValueReader.invalid(p, "unexpected content after the value");
            }
            return v;
        } catch (IOException e) {
            throw JsonValueReader.invalid(e);
        }
    }

    /**
     * @param json one JSON object
     * @return its fields
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) as {@link #parse}, or if the value is
     *                        not an object
     */
    public static MapValue parseDocument(String json) {
        Value v = parse(json);
        if (!(v instanceof MapValue)) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "A document must be a JSON object, got a " + v.type());
        }
        return (MapValue) v;
    }

    /**
     * @param value a value
     * @return its compact JSON text, map keys in {@link Value#KEY_ORDER}
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it nests deeper than {@link Limits#MAX_DEPTH}
     */
    public static String write(Value value) {
        StringWriter out = new StringWriter();
        write(value, out);
        return out.toString();
    }

    /**
     * @param value a value
     * @param out   receives its compact JSON text
     * @throws UncheckedIOException if writing to {@code out} fails
     */
    public static void write(Value value, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            JsonValueWriter.write(g, value, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON failed: " + e.getMessage(), e);
        }
    }

    /**
     * Streams documents from JSON lines (one object per line, as {@code blaze:export} writes them;
     * whitespace between objects, including blank lines, is ignored) without reading the whole input.
     *
     * @param in the text; closed by {@link JsonLinesReader#close()}
     * @return a reader of its documents
     */
    public static JsonLinesReader lines(Reader in) {
        try {
            return new JsonLinesReader(FACTORY.createParser(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Opening JSON lines failed: " + e.getMessage(), e);
        }
    }
}
