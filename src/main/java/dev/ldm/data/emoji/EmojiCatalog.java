package dev.ldm.data.emoji;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Joins each package's image files to emojibase labels through {@link EmojiKey} (DATA.md). Noto and
 * Twemoji list their images in emoji-datasource's {@code emoji.json} (entries and their
 * {@code skin_variations}); Fluent 3D names each file by its code points. Nothing is filtered here:
 * every file is returned, so the counts can be checked against the packages.
 */
public final class EmojiCatalog {
    /**
     * The result of one join.
     *
     * @param images every image file with a label, sorted by key then file name
     * @param unlabelled files (or entries) whose key emojibase does not label
     * @param missing emoji.json entries whose image file is absent
     * @param notes for vector sets, names skipped or joined, by reason (see {@link IconifyCatalog}); empty
     *     for image files
     */
    public record Join(List<EmojiImage> images, List<String> unlabelled, List<String> missing,
            Map<String, Integer> notes) {
        public Join {
            images = List.copyOf(images);
            unlabelled = List.copyOf(unlabelled);
            missing = List.copyOf(missing);
            notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
        }

        /** A join of image files. */
        public Join(List<EmojiImage> images, List<String> unlabelled, List<String> missing) {
            this(images, unlabelled, missing, Map.of());
        }

        /** Distinct keys among the labelled images. */
        public long distinctKeys() {
            return images.stream().map(EmojiImage::key).distinct().count();
        }
    }

    private EmojiCatalog() {}

    /** Joins one style's images in an installed {@code node_modules} folder. */
    public static Join join(EmojiStyle style, Path nodeModules, EmojiLabels labels) {
        Path dir = style.imageDir(nodeModules);
        if (!Files.isDirectory(dir)) {
            throw LdmException.badInput(dir + ": image folder of " + style.packageName() + " not found");
        }
        return style == EmojiStyle.FLUENT ? fluent(dir, labels)
                : datasource(style, nodeModules.resolve(style.packageName()).resolve("emoji.json"), dir, labels);
    }

    /** emoji-datasource: every entry and skin variation whose {@code has_img_<set>} is true. */
    static Join datasource(EmojiStyle style, Path emojiJson, Path dir, EmojiLabels labels) {
        JsonArray entries = Json.parse(Json.readText(emojiJson), JsonArray.class, emojiJson.toString());
        List<EmojiImage> images = new ArrayList<>();
        List<String> unlabelled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String flag = "has_img_" + style.datasourceSet();
        for (JsonElement e : entries) {
            List<JsonObject> drawn = new ArrayList<>();
            JsonObject o = object(e, emojiJson);
            drawn.add(o);
            if (o.has("skin_variations") && o.get("skin_variations").isJsonObject()) {
                for (Map.Entry<String, JsonElement> v : o.getAsJsonObject("skin_variations").entrySet()) {
                    drawn.add(object(v.getValue(), emojiJson));
                }
            }
            for (JsonObject d : drawn) {
                if (!d.has(flag) || !d.get(flag).isJsonPrimitive() || !d.get(flag).getAsBoolean()) {
                    continue;
                }
                String unified = text(d, "unified", emojiJson);
                Path file = dir.resolve(text(d, "image", emojiJson));
                if (!Files.isRegularFile(file)) {
                    missing.add(unified);
                    continue;
                }
                add(style, EmojiKey.parse(unified, emojiJson.toString()), file, labels, images, unlabelled);
            }
        }
        return sorted(images, unlabelled, missing);
    }

    /** Fluent 3D: every {@code .webp} or {@code .png} file, its name the key. */
    static Join fluent(Path dir, EmojiLabels labels) {
        List<EmojiImage> images = new ArrayList<>();
        List<String> unlabelled = new ArrayList<>();
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            String stem = name.substring(0, name.lastIndexOf('.'));
            add(EmojiStyle.FLUENT, EmojiKey.parse(stem, file.toString()), file, labels, images, unlabelled);
        }
        return sorted(images, unlabelled, List.of());
    }

    private static void add(EmojiStyle style, EmojiKey key, Path file, EmojiLabels labels,
            List<EmojiImage> images, List<String> unlabelled) {
        Optional<EmojiLabels.Entry> label = labels.get(key);
        if (label.isPresent()) {
            images.add(new EmojiImage(style, key, file, label.get()));
        } else {
            unlabelled.add(file.getFileName().toString());
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".webp") || n.endsWith(".png"));
            }).sorted().toList();
        } catch (IOException e) {
            throw LdmException.badInput(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static Join sorted(List<EmojiImage> images, List<String> unlabelled, List<String> missing) {
        images.sort(Comparator.comparing(EmojiImage::key)
                .thenComparing(i -> i.source().getFileName().toString()));
        return new Join(images, unlabelled, missing);
    }

    private static JsonObject object(JsonElement e, Path file) {
        if (!e.isJsonObject()) {
            throw LdmException.badInput(file + ": expected objects, found " + e);
        }
        return e.getAsJsonObject();
    }

    private static String text(JsonObject o, String field, Path file) {
        JsonElement v = o.get(field);
        if (v == null || !v.isJsonPrimitive()) {
            throw LdmException.badInput(file + ": an entry has no '" + field + "'");
        }
        return v.getAsString();
    }
}
