package org.blazedb.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;

/**
 * Reads documents one at a time from JSON lines, for import: only the current document is held in
 * memory. Made by {@link JsonCodec#lines}. Not thread-safe.
 */
public final class JsonLinesReader implements Closeable {
    private final JsonParser parser;
    private long count;

    JsonLinesReader(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * @return the next document, or null at the end of the input
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) naming the line if the next record is
     *                        not a valid JSON object; reading cannot continue after it
     * @throws UncheckedIOException if reading the input fails
     */
    public MapValue next() {
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            if (token != JsonToken.START_OBJECT) {
                throw new BlazeException(ErrorCode.INVALID_VALUE,
                        "Line " + line + ": a JSON-lines record must be an object, got " + token.asString());
            }
            Value doc = JsonValueReader.read(parser, 0);
            if (!(doc instanceof MapValue)) {
                throw new BlazeException(ErrorCode.INVALID_VALUE,
                        "Line " + line + ": a JSON-lines record must be a document, got a " + doc.type());
            }
            count++;
            return (MapValue) doc;
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JacksonException) {
                throw JsonValueReader.invalid(e);
            }
            throw new UncheckedIOException("Reading JSON lines failed: " + e.getMessage(), e);
        }
    }

    /** @return how many documents {@link #next()} has returned */
    public long count() {
        return count;
    }

    /** Closes the parser and the underlying reader. */
    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Closing JSON lines failed: " + e.getMessage(), e);
        }
    }
}
