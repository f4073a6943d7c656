package org.blazedb.shell.impl;

import org.blazedb.api.BlazeException;
import org.blazedb.api.ErrorCode;
import org.blazedb.api.Filter;
import org.blazedb.api.value.MapValue;
import org.blazedb.api.value.Value;
import org.blazedb.codec.JsonCodec;

/** The text forms the shell reads from its arguments: filters, JSON values and documents. */
final class Expressions {
    private static final String[] OPERATORS = {">=", "<=", "=", ">", "<"};
    private static final String[][] WORDS = {{".gte", ">="}, {".lte", "<="}, {".gt", ">"}, {".lt", "<"}, {".eq", "="}};

    private Expressions() {
    }

    /**
     * @param text {@code field=value}, {@code field>value}, {@code >=}, {@code <}, {@code <=}; the value
     *             is JSON, or else taken as a string
     * @return the filter
     */
    static Filter filter(String text) {
        int best = -1;
        String op = null;
        for (String candidate : OPERATORS) {
            int at = text.indexOf(candidate);
            if (at > 0 && (best < 0 || at < best || (at == best && candidate.length() > op.length()))) {
                best = at;
                op = candidate;
            }
        }
        if (op == null) {
            throw new BlazeException(ErrorCode.INVALID_QUERY, "Cannot read filter '" + text + "': write field=value, field>value, field>=value, field<value or field<=value");
        }
        String field = text.substring(0, best).strip();
        Value value = value(text.substring(best + op.length()).strip());
        if (op.equals("=")) {
            // field.gt=value and friends: ranges without < or >, which the Gogo shell reads as redirections
            for (String[] word : WORDS) {
                if (field.endsWith(word[0]) && field.length() > word[0].length()) {
                    field = field.substring(0, field.length() - word[0].length());
                    op = word[1];
                    break;
                }
            }
        }
        return switch (op) {
            case ">=" -> Filter.gte(field, value);
            case "<=" -> Filter.lte(field, value);
            case ">" -> Filter.gt(field, value);
            case "<" -> Filter.lt(field, value);
            default -> Filter.eq(field, value);
        };
    }

    /** @param text JSON text, or a bare word taken as a string @return the value */
    static Value value(String text) {
        try {
            return JsonCodec.parse(text);
        } catch (BlazeException e) {
            return Value.of(text);
        }
    }

    /** @param json a JSON object @return its fields */
    static MapValue document(String json) {
        try {
            return JsonCodec.parseDocument(json);
        } catch (BlazeException e) {
            MapValue flat = flatObject(json);
            if (flat != null) {
                return flat;
            }
            throw new BlazeException(e.code(), "Cannot read the document " + json + ": " + e.getMessage().lines().findFirst().orElse("")
                    + ". Write a JSON object, in single quotes in the Gogo shell: '{\"title\":\"hi\"}'");
        }
    }

    /**
     * Gogo reads an unquoted {@code {"t":"hi"}} as a closure and hands over {@code {t:hi}}, quotes
     * removed. A flat object in that form is read leniently: each value is JSON (numbers, true, false,
     * null) or else a string.
     *
     * @param text the text
     * @return the document, or null if the text is not such a flat object
     */
    static MapValue flatObject(String text) {
        String t = text.strip();
        if (!t.startsWith("{") || !t.endsWith("}") || t.substring(1, t.length() - 1).matches(".*[\\[\\]{}\"].*")) {
            return null;
        }
        MapValue.Builder b = MapValue.builder();
        String body = t.substring(1, t.length() - 1).strip();
        if (body.isEmpty()) {
            return b.build();
        }
        for (String pair : body.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            b.put(pair.substring(0, colon).strip(), value(pair.substring(colon + 1).strip()));
        }
        return b.build();
    }
}
