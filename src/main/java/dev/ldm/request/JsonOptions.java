package dev.ldm.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.ldm.LdmException;
import java.util.Map;
import java.util.Set;

/**
 * JSON objects to {@link RequestOptions}, for JSON Lines batch files and the settings stored in
 * PNGs. Types are checked rather than coerced (a prompt must be a string, steps a number), unknown
 * fields are refused, and every problem is one bad-input line naming where it was found.
 */
public final class JsonOptions {
    /** Fields whose JSON value must be a string; every other field must be a number. */
    private static final Set<String> TEXT = Set.of("prompt", "negative", "sampler", "init-image");

    private JsonOptions() {}

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
            String value = primitive(e.getValue(), e.getKey(), TEXT.contains(option), where);
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
