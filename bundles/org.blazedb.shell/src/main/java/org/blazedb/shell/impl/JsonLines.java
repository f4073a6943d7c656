package org.blazedb.shell.impl;

import java.io.StringWriter;
import java.util.Map;
import org.blazedb.api.Document;
import org.blazedb.api.value.Value;
import org.blazedb.codec.JsonCodec;

/**
 * A document's JSON-lines form, as {@code get}, {@code find} and {@code export} print it and
 * {@code import} reads it: one object per line, the id in {@link #ID_FIELD}, then the fields.
 */
final class JsonLines {
    /** The field that carries a document's id in JSON lines. */
    static final String ID_FIELD = "_id";

    private JsonLines() {
    }

    /**
     * Writes the id and then each field's value through the codec, one value at a time. The line is
     * never spliced out of the text of the whole fields map: a map whose one key looks like a tag
     * ({@code $bytes}, {@code $map}, ...) is written as {@code {"$map":{...}}}, and putting
     * {@code "_id"} inside that escape would make it an ordinary field. The outer object always has
     * {@code "_id"}, so it is never read as a tag itself, and each value reads back as written.
     *
     * @param d a document
     * @return one JSON line: {@code {"_id": ..., fields...}}
     */
    static String write(Document d) {
        StringWriter out = new StringWriter();
        out.write('{');
        JsonCodec.write(Value.of(ID_FIELD), out);
        out.write(':');
        JsonCodec.write(Value.of(d.id()), out);
        for (Map.Entry<String, Value> field : d.fields().entries().entrySet()) {
            out.write(',');
            JsonCodec.write(Value.of(field.getKey()), out);
            out.write(':');
            JsonCodec.write(field.getValue(), out);
        }
        out.write('}');
        return out.toString();
    }
}
