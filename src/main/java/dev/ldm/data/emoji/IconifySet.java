package dev.ldm.data.emoji;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drawable names of one Iconify JSON {@code icons.json}: every icon not marked hidden (Iconify
 * hides names it keeps only for old links), and every alias resolved to its parent's body. An alias
 * that mirrors its parent ({@code hFlip}, {@code vFlip}) gets the mirror as a transform; one that
 * rotates, crops or re-sizes its parent, points to a missing parent or to a chain longer than
 * {@value #MAX_ALIAS_CHAIN} is skipped and counted. The file is read as a stream (Fluent Color's is
 * 98 MB), icon by icon.
 *
 * @param icons the drawable names, in name order
 * @param skipped names left out, by reason
 */
public record IconifySet(List<IconifyIcon> icons, Map<String, Integer> skipped) {
    public static final String SKIP_HIDDEN = "hidden (kept by Iconify for old names)";
    public static final String SKIP_ALIAS = "alias that rotates, crops or resizes its parent";
    public static final String SKIP_ALIAS_PARENT = "alias whose parent is missing";
    public static final String SKIP_SIZE = "icon without a usable width or height";
    static final int MAX_ALIAS_CHAIN = 8;
    /** Largest icons.json read (Fluent Color's is about 100 MB). */
    static final long MAX_BYTES = 1L << 30;
    /** Largest viewBox side accepted from the JSON (real sets use 16 to 512). */
    static final double MAX_VIEWBOX = 16_384;

    /** The raw file: its default size and the icon and alias objects by name. */
    private record Raw(double width, double height, Map<String, JsonObject> icons, Map<String, JsonObject> aliases) {}

    /** Reads {@code icons.json}; a malformed file is bad input naming it. */
    public static IconifySet read(Path iconsJson) {
        try {
            return resolve(parse(iconsJson), iconsJson);
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
            throw LdmException.badInput(iconsJson + ": unexpected icons.json layout (" + e.getMessage() + ")", e);
        }
    }

    private static IconifySet resolve(Raw raw, Path iconsJson) {
        List<IconifyIcon> out = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        raw.icons().forEach((name, o) -> {
            if (flag(o, "hidden")) {
                skipped.merge(SKIP_HIDDEN, 1, Integer::sum);
            } else {
                add(out, skipped, icon(name, o, raw, false, null, iconsJson));
            }
        });
        raw.aliases().forEach((name, o) -> {
            if (flag(o, "hidden")) {
                skipped.merge(SKIP_HIDDEN, 1, Integer::sum);
            } else {
                add(out, skipped, alias(name, raw, iconsJson));
            }
        });
        out.sort(java.util.Comparator.comparing(IconifyIcon::name));
        return new IconifySet(List.copyOf(out), java.util.Collections.unmodifiableMap(skipped));
    }

    /** Either an icon or the reason it was skipped. */
    private record Outcome(IconifyIcon icon, String skip) {}

    private static void add(List<IconifyIcon> out, Map<String, Integer> skipped, Outcome o) {
        if (o.icon() != null) {
            out.add(o.icon());
        } else {
            skipped.merge(o.skip(), 1, Integer::sum);
        }
    }

    private static Outcome icon(String name, JsonObject o, Raw raw, boolean alias, String transform, Path file) {
        if (!o.has("body") || !o.get("body").isJsonPrimitive()) {
            throw LdmException.badInput(file + ": icon '" + name + "' has no body");
        }
        double w = number(o, "width", raw.width());
        double h = number(o, "height", raw.height());
        if (!(w > 0 && h > 0 && w <= MAX_VIEWBOX && h <= MAX_VIEWBOX)) {
            return new Outcome(null, SKIP_SIZE);
        }
        return new Outcome(new IconifyIcon(name, o.get("body").getAsString(), w, h, alias, transform), null);
    }

    /** Follows an alias to its icon, composing mirrors: two horizontal flips cancel. */
    private static Outcome alias(String name, Raw raw, Path file) {
        boolean h = false;
        boolean v = false;
        String at = name;
        for (int step = 0; step < MAX_ALIAS_CHAIN; step++) {
            JsonObject a = raw.aliases().get(at);
            for (String key : a.keySet()) {
                if (!List.of("parent", "hFlip", "vFlip", "hidden").contains(key)
                        && !(key.equals("rotate") && a.get(key).getAsInt() % 4 == 0)) {
                    return new Outcome(null, SKIP_ALIAS);
                }
            }
            h ^= flag(a, "hFlip");
            v ^= flag(a, "vFlip");
            String parent = a.has("parent") ? a.get("parent").getAsString() : "";
            if (raw.icons().containsKey(parent)) {
                JsonObject icon = raw.icons().get(parent);
                double w = number(icon, "width", raw.width());
                double ht = number(icon, "height", raw.height());
                return icon(name, icon, raw, true, mirror(h, v, w, ht), file);
            }
            if (!raw.aliases().containsKey(parent)) {
                break;
            }
            at = parent;
        }
        return new Outcome(null, SKIP_ALIAS_PARENT);
    }

    /** The SVG transform of Iconify's flips on a W x H viewBox, or null for none. */
    static String mirror(boolean h, boolean v, double w, double ht) {
        String sw = IconifyIcon.number(w);
        String sh = IconifyIcon.number(ht);
        if (h && v) {
            return "translate(" + sw + " " + sh + ") scale(-1 -1)";
        }
        if (h) {
            return "translate(" + sw + " 0) scale(-1 1)";
        }
        return v ? "translate(0 " + sh + ") scale(1 -1)" : null;
    }

    private static Raw parse(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw LdmException.badInput(file + ": larger than " + (MAX_BYTES >> 20) + " MB");
            }
            try (JsonReader r = new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
                double width = 16;
                double height = 16;
                Map<String, JsonObject> icons = new TreeMap<>();
                Map<String, JsonObject> aliases = new TreeMap<>();
                r.beginObject();
                while (r.hasNext()) {
                    switch (r.nextName()) {
                        case "width" -> width = r.nextDouble();
                        case "height" -> height = r.nextDouble();
                        case "icons" -> readObjects(r, icons);
                        case "aliases" -> readObjects(r, aliases);
                        default -> r.skipValue();
                    }
                }
                return new Raw(width, height, icons, aliases);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LdmException l) {
                throw l;
            }
            throw LdmException.badInput(file + ": malformed icons.json (" + dev.ldm.io.Json.firstLine(e.getMessage())
                    + ")", e);
        }
    }

    private static void readObjects(JsonReader r, Map<String, JsonObject> into) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String name = r.nextName();
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new IllegalStateException("'" + name + "' is not an object");
            }
            into.put(name, e.getAsJsonObject());
        }
        r.endObject();
    }

    private static boolean flag(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() && o.get(key).getAsBoolean();
    }

    private static double number(JsonObject o, String key, double fallback) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsDouble() : fallback;
    }
}
