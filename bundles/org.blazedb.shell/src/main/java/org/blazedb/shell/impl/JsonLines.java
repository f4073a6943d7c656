package org.blazedb.shell.impl;

import java.io.StringWriter;
import java.util.Map;
import java.util.TreeMap;
import org.blazedb.api.BlazeException;
import org.blazedb.api.Document;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.JsonCodec;

/**
 * A document's JSON-lines form, as {@code get}, {@code find} and {@code export} print it and
 * {@code import} reads it: one object per line, the id in {@link #ID_FIELD}, then the fields.
 *
 * <p>In this form {@code "_id"} is the document's id, never a field: {@code put} and {@code patch}
 * drop an {@code "_id"} equal to their id argument (so a printed line can be pasted back) and refuse
 * any other. A document that holds a field {@code "_id"} anyway (written through the Java API or
 * received by sync) has no JSON line: one would hold {@code "_id"} twice, which import refuses.
 */
final class JsonLines {
    /** The field that carries a document's id in JSON lines. */
    static final String ID_FIELD = "_id";
    /** A field value longer than this (as JSON) is left out of an error message. */
    private static final int MAX_QUOTED_VALUE = 200;

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
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if the document has a field {@code "_id"}
     */
    static String write(Document d) {
        if (hasIdField(d)) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, idFieldProblem(d));
        }
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

    /**
     * Reads one line of a JSON-lines file strictly as JSON. (The lenient reading of
     * {@link Expressions#document} is for Gogo's quote-stripped arguments only: a file has its
     * quotes, and a line that is not JSON is a mistake to report, not to guess at.)
     *
     * @param line the line
     * @return the object it holds, {@code "_id"} included
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it is not one JSON object; one line
     *                        of message, with the column
     */
    static MapValue parse(String line) {
        try {
            return JsonCodec.parseDocument(line);
        } catch (BlazeException e) {
            String problem = e.getMessage().lines().findFirst().orElse("")
                    .replaceFirst("^Invalid JSON at line 1, column ", "Invalid JSON at column "); // the caller names the line
            throw new BlazeException(e.code(), problem, e);
        }
    }

    /**
     * The fields of a document given to {@code put} or {@code patch} as JSON, which may carry the
     * id as it was printed.
     *
     * @param id   the id argument
     * @param json the JSON object given
     * @return its fields without an {@code "_id"} equal to {@code id}
     * @throws BlazeException ({@link ErrorCode#INVALID_VALUE}) if it holds another {@code "_id"}
     */
    static MapValue fieldsFor(String id, MapValue json) {
        Value given = json.entries().get(ID_FIELD);
        if (given == null) {
            return json;
        }
        if (!given.equals(Value.of(id))) {
            throw new BlazeException(ErrorCode.INVALID_VALUE, "The JSON holds \"" + ID_FIELD + "\":" + quoted(given)
                    + ", but the document id is '" + id + "': in the shell \"" + ID_FIELD + "\" is the id, not a field;"
                    + " leave it out, or give that id as the id argument");
        }
        TreeMap<String, Value> fields = new TreeMap<>(json.entries());
        fields.remove(ID_FIELD);
        return MapValue.of(fields);
    }

    /** @param d a document @return whether it has a field named {@link #ID_FIELD}, so that it has no JSON line */
    static boolean hasIdField(Document d) {
        return d.fields().entries().containsKey(ID_FIELD);
    }

    /** @return what is wrong with a document that has a field "_id", and how to fix it */
    static String idFieldProblem(Document d) {
        String value = quoted(d.fields().entries().get(ID_FIELD));
        return "Document '" + d.id() + "' in collection '" + d.collection() + "' has a field named \"" + ID_FIELD
                + "\" (written through the Java API or by a peer); in JSON lines \"" + ID_FIELD + "\" is the document's id,"
                + " so the shell cannot show or export it. Rename the field: blaze:patch -u " + ID_FIELD + " " + d.collection()
                + " " + d.id() + " '{\"old_id\":" + value + "}'";
    }

    private static String quoted(Value v) {
        String json = JsonCodec.write(v);
        return json.length() <= MAX_QUOTED_VALUE ? json : "<its value, " + json.length() + " characters of JSON>";
    }
}
