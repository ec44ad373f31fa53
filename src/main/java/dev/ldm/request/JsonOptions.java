package dev.ldm.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.ldm.LdmException;
import java.util.Map;

/**
 * JSON objects to {@link RequestOptions}, for JSON Lines batch files and the settings stored in
 * PNGs. Types are checked rather than coerced (a prompt must be a string, steps a number), unknown
 * fields are refused, and every problem is one bad-input line naming where it was found.
 */
public final class JsonOptions {

    private JsonOptions() {}

    /**
     * JSON key to option name for the given fields: each field's option name, and its JSON alias
     * ({@code init_image}) where it has one.
     */
    public static Map<String, String> keys(RequestField... fields) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (RequestField f : fields) {
            m.put(f.option(), f.option());
            if (f.jsonAlias() != null) {
                m.put(f.jsonAlias(), f.option());
            }
        }
        return m;
    }

    /** Parses one JSON object. */
    public static JsonObject parseObject(String text, String where) {
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (JsonParseException | IllegalStateException | StackOverflowError ex) {
            throw LdmException.badInput(where + ": malformed JSON (" + firstLine(ex.getMessage()) + ")");
        }
        if (!e.isJsonObject()) {
            throw LdmException.badInput(where + ": expected a JSON object");
        }
        return e.getAsJsonObject();
    }

    /**
     * Reads the fields of {@code o} named in {@code fields} (JSON key to option name); a null value
     * leaves the option unset.
     */
    public static RequestOptions read(JsonObject o, Map<String, String> fields, String where) {
        RequestOptions out = RequestOptions.NONE;
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String option = fields.get(e.getKey());
            if (option == null) {
                throw LdmException.badInput(where + ": unknown field '" + e.getKey() + "' (known: "
                        + String.join(", ", fields.keySet()) + ")");
            }
            if (e.getValue().isJsonNull()) {
                continue;
            }
            boolean text = RequestField.byOption(option).map(f -> f.kind() == RequestField.Kind.TEXT).orElse(true);
            String value = primitive(e.getValue(), e.getKey(), text, where);
            try {
                out = out.with(option, value);
            } catch (LdmException ex) {
                throw LdmException.badInput(where + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** The text of a string or number value, refusing the other type. */
    public static String primitive(JsonElement v, String key, boolean text, String where) {
        if (v == null || v.isJsonNull()) {
            throw LdmException.badInput(where + ": field '" + key + "' is missing");
        }
        boolean ok = v.isJsonPrimitive() && (text ? ((JsonPrimitive) v).isString() : ((JsonPrimitive) v).isNumber());
        if (!ok) {
            throw LdmException.badInput(where + ": field '" + key + "' must be a " + (text ? "string" : "number"));
        }
        return v.getAsString();
    }

    private static String firstLine(String s) {
        return dev.ldm.io.Json.firstLine(s);
    }
}
