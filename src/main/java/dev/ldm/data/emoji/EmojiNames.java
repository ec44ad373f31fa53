package dev.ldm.data.emoji;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Finds the emoji an icon name means, for Iconify sets without {@code chars.json} (DATA.md: names
 * follow CLDR short names as slugs, {@code fox}, {@code red-heart}; some sets differ). Three sources,
 * in order of trust: the names other Iconify sets give to code points in their {@code chars.json};
 * emojibase labels as slugs ({@code flag: Japan} is {@code flag-japan}); emojibase shortcodes
 * ({@code fox_face} is {@code fox-face}, Emoji One's name). A name is tried as written, then in
 * variants ({@code baby-2} as {@code baby}: Streamline numbers its drawings of one emoji;
 * {@code flag-for-japan} as {@code flag-japan}), then with its hyphens removed (Firefox OS writes
 * {@code alarmclock}). The first source where a form names exactly one emoji wins; a form that names
 * two ({@code cat}: cat and cat face, as shortcodes) is left to the next source.
 */
public final class EmojiNames {
    /** emojibase's shortcode sets (files in {@code en/shortcodes/}), read when present. */
    static final List<String> SHORTCODE_SETS = List.of("cldr", "emojibase", "github", "iamcal", "joypixels");
    private static final Pattern NUMBERED = Pattern.compile("-\\d+$");

    /** Each source: a slug to the keys it names; sorted maps so lookups never depend on hashing. */
    private final List<Map<String, Set<EmojiKey>>> sources;

    EmojiNames(List<Map<String, Set<EmojiKey>>> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Builds the index from the Iconify sets' chars.json files and emojibase-data in {@code nodeModules}. */
    public static EmojiNames read(Path nodeModules, EmojiLabels labels) {
        Map<String, Set<EmojiKey>> chars = new TreeMap<>();
        for (EmojiStyle s : EmojiStyle.values()) {
            if (s.svg() != null && s.svg().charsPackage() != null) {
                charsJson(nodeModules.resolve(s.svg().charsPackage()).resolve("chars.json"))
                        .forEach((key, name) -> put(chars, name, key));
            }
        }
        Map<String, Set<EmojiKey>> names = new TreeMap<>();
        labels.all().forEach((key, entry) -> put(names, slug(entry.label()), key));
        Map<String, Set<EmojiKey>> shortcodes = new TreeMap<>();
        Path dir = nodeModules.resolve("emojibase-data").resolve("en").resolve("shortcodes");
        for (String set : SHORTCODE_SETS) {
            Path file = dir.resolve(set + ".json");
            if (Files.isRegularFile(file)) {
                shortcodes(file, shortcodes);
            }
        }
        return new EmojiNames(List.of(chars, names, shortcodes));
    }

    /**
     * A {@code chars.json}: code point sequence to icon name, keys normalised. An absent file is
     * empty (most sets ship {@code {}}).
     */
    public static Map<EmojiKey, String> charsJson(Path file) {
        Map<EmojiKey, String> out = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        JsonObject o = Json.parse(Json.readText(file), JsonObject.class, file.toString());
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (e.getValue().isJsonPrimitive()) {
                out.putIfAbsent(EmojiKey.parse(e.getKey(), file.toString()), e.getValue().getAsString());
            }
        }
        return out;
    }

    /** The one emoji a name means, if the sources agree on one. */
    public Optional<EmojiKey> lookup(String name) {
        List<String> forms = new ArrayList<>(List.of(name));
        String unnumbered = NUMBERED.matcher(name).replaceFirst("");
        if (!unnumbered.isEmpty() && !unnumbered.equals(name)) {
            forms.add(unnumbered);
        }
        if (name.startsWith("flag-for-")) {
            forms.add("flag-" + name.substring("flag-for-".length()).replaceFirst("^flag-", ""));
        }
        Optional<EmojiKey> exact = first(forms, f -> f);
        return exact.isPresent() ? exact : first(forms, f -> f.replace("-", ""));
    }

    private Optional<EmojiKey> first(List<String> forms, Function<String, String> spelling) {
        for (String form : forms) {
            for (Map<String, Set<EmojiKey>> source : sources) {
                Set<EmojiKey> keys = source.get(spelling.apply(form));
                if (keys != null && keys.size() == 1) {
                    return Optional.of(keys.iterator().next());
                }
            }
        }
        return Optional.empty();
    }

    /** A label or shortcode as an Iconify-style name: folded, lower case, runs of other characters as {@code -}. */
    public static String slug(String text) {
        return EmojiLabels.fold(text).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    private static void shortcodes(Path file, Map<String, Set<EmojiKey>> into) {
        JsonObject o = Json.parse(Json.readText(file), JsonObject.class, file.toString());
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            EmojiKey key = EmojiKey.parse(e.getKey(), file.toString());
            List<JsonElement> codes = new ArrayList<>();
            if (e.getValue().isJsonArray()) {
                e.getValue().getAsJsonArray().forEach(codes::add);
            } else {
                codes.add(e.getValue());
            }
            codes.stream().filter(JsonElement::isJsonPrimitive).forEach(c -> put(into, slug(c.getAsString()), key));
        }
    }

    /** Adds a name in both spellings: as written, and without hyphens (looked up only in the second pass). */
    private static void put(Map<String, Set<EmojiKey>> map, String name, EmojiKey key) {
        if (name.isEmpty()) {
            return;
        }
        map.computeIfAbsent(name, n -> new TreeSet<>()).add(key);
        String compact = name.replace("-", "");
        if (!compact.equals(name)) {
            map.computeIfAbsent(compact, n -> new TreeSet<>()).add(key);
        }
    }
}
