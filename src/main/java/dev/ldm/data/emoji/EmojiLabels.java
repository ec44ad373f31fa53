package dev.ldm.data.emoji;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * English captions from emojibase-data ({@code en/data.json}): each entry's {@code label} and each of
 * its {@code skins[].label}, keyed by {@link EmojiKey}, with the entry's group and subgroup names
 * (from {@code en/messages.json}) so that rules such as "drop country flags" name a category rather
 * than a list of code points. Labels are folded to lower-case ASCII for the text encoder.
 */
public final class EmojiLabels {
    /** One label. Skin-tone variants carry their base entry's group and subgroup. */
    public record Entry(String label, String group, String subgroup) {}

    private final Map<EmojiKey, Entry> entries;

    private EmojiLabels(Map<EmojiKey, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Reads {@code en/data.json} and {@code en/messages.json} from an emojibase-data package folder. */
    public static EmojiLabels read(Path emojibaseData) {
        try {
            return parse(emojibaseData);
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw LdmException.badInput(emojibaseData + ": unexpected emojibase-data layout (" + e.getMessage() + ")", e);
        }
    }

    private static EmojiLabels parse(Path emojibaseData) {
        Path data = emojibaseData.resolve("en").resolve("data.json");
        Path messages = emojibaseData.resolve("en").resolve("messages.json");
        JsonObject names = Json.parse(Json.readText(messages), JsonObject.class, messages.toString());
        Map<Integer, String> groups = orderToKey(names, "groups", messages);
        Map<Integer, String> subgroups = orderToKey(names, "subgroups", messages);
        JsonArray list = Json.parse(Json.readText(data), JsonArray.class, data.toString());
        Map<EmojiKey, Entry> out = new HashMap<>();
        for (JsonElement e : list) {
            JsonObject o = object(e, data);
            String group = name(groups, o, "group");
            String subgroup = name(subgroups, o, "subgroup");
            put(out, o, group, subgroup, data);
            if (o.has("skins")) {
                for (JsonElement s : o.getAsJsonArray("skins")) {
                    put(out, object(s, data), group, subgroup, data);
                }
            }
        }
        if (out.isEmpty()) {
            throw LdmException.badInput(data + ": no emoji labels");
        }
        return new EmojiLabels(out);
    }

    /** Labels built in memory (tests). */
    public static EmojiLabels of(Map<EmojiKey, Entry> entries) {
        return new EmojiLabels(new HashMap<>(entries));
    }

    /** The entry for a key, if emojibase labels it. */
    public Optional<Entry> get(EmojiKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every labelled key and its entry. */
    public Map<EmojiKey, Entry> all() {
        return entries;
    }

    /** How many keys are labelled. */
    public int size() {
        return entries.size();
    }

    /**
     * A label as a caption: Unicode punctuation folded to ASCII (’ to ', “ ” to ", … to ..., dashes
     * to -), accents removed (é to e, Å to a), other non-ASCII dropped, lower-case, spaces collapsed.
     * The text encoder's vocabulary and users' keyboards then agree on every label.
     */
    public static String fold(String label) {
        String s = label.replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201C', '"')
                .replace('\u201D', '"').replace("\u2026", "...").replace('\u2013', '-').replace('\u2014', '-')
                .replace('\u00A0', ' ');
        s = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        s = s.replaceAll("[^\\x20-\\x7E]", "");
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    private static void put(Map<EmojiKey, Entry> out, JsonObject o, String group, String subgroup, Path file) {
        String hex = string(o, "hexcode", file);
        String label = string(o, "label", file);
        out.putIfAbsent(EmojiKey.parse(hex, file.toString()), new Entry(fold(label), group, subgroup));
    }

    private static Map<Integer, String> orderToKey(JsonObject names, String field, Path file) {
        Map<Integer, String> out = new HashMap<>();
        if (!names.has(field) || !names.get(field).isJsonArray()) {
            throw LdmException.badInput(file + ": no '" + field + "' list");
        }
        for (JsonElement e : names.getAsJsonArray(field)) {
            JsonObject o = object(e, file);
            out.put(o.get("order").getAsInt(), string(o, "key", file));
        }
        return out;
    }

    private static String name(Map<Integer, String> names, JsonObject o, String field) {
        return o.has(field) ? names.getOrDefault(o.get(field).getAsInt(), "") : "";
    }

    private static JsonObject object(JsonElement e, Path file) {
        if (!e.isJsonObject()) {
            throw LdmException.badInput(file + ": expected objects, found " + e);
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject o, String field, Path file) {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonPrimitive()) {
            throw LdmException.badInput(file + ": an entry has no '" + field + "'");
        }
        return v.getAsString();
    }
}
