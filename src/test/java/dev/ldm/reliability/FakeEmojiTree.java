package dev.ldm.reliability;

import dev.ldm.data.emoji.NpmPackages;
import dev.ldm.image.PngWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An npm prefix laid out like the pinned emoji packages, small enough to build in a second, for
 * {@code ldm data emoji --packages DIR} (which then runs no npm): {@code package.json} at the pinned
 * versions, emoji-datasource {@code emoji.json} with 32 px PNGs for Noto and Twemoji, Fluent PNGs
 * named by code points, and emojibase {@code en/data.json} and {@code en/messages.json} labelling
 * {@code concepts} emoji (U+1F600 onwards) plus a waving hand with a skin-tone variant (dropped by
 * default). Every image has its own colours, so an image written under the wrong name shows.
 */
final class FakeEmojiTree {
    private FakeEmojiTree() {}

    /** Writes the tree under {@code prefix}. */
    static void write(Path prefix, int concepts) throws IOException {
        Path nm = prefix.resolve("node_modules");
        for (NpmPackages.Package p : NpmPackages.pinned()) {
            Path dir = Files.createDirectories(nm.resolve(p.name()));
            Files.writeString(dir.resolve("package.json"),
                    "{\"name\": \"" + p.name() + "\", \"version\": \"" + p.version() + "\"}");
        }
        List<String> hex = new ArrayList<>();
        for (int i = 0; i < concepts; i++) {
            hex.add(Integer.toHexString(0x1F600 + i).toUpperCase(java.util.Locale.ROOT));
        }
        datasource(nm.resolve("emoji-datasource-google"), "google", hex, 1);
        datasource(nm.resolve("emoji-datasource-twitter"), "twitter", hex, 2);
        Path fluent = Files.createDirectories(nm.resolve("@lobehub/fluent-emoji-3d/assets"));
        for (String h : hex) {
            png(fluent.resolve(h.toLowerCase(java.util.Locale.ROOT) + ".png"), h, 3);
        }
        png(fluent.resolve("1f44b.png"), "1F44B", 3);
        png(fluent.resolve("1f44b-1f3fb.png"), "1F44B-1F3FB", 3);
        labels(Files.createDirectories(nm.resolve("emojibase-data/en")), hex);
    }

    private static void datasource(Path pkg, String set, List<String> hex, int style) throws IOException {
        Path img = Files.createDirectories(pkg.resolve("img/" + set + "/64"));
        StringBuilder json = new StringBuilder("[");
        for (String h : hex) {
            json.append(entry(h, set)).append(",\n");
            png(img.resolve(h.toLowerCase(java.util.Locale.ROOT) + ".png"), h, style);
        }
        json.append(entry("1F44B", set).replace("}", ", \"skin_variations\": {\"1F3FB\": "
                + entry("1F44B-1F3FB", set) + "}}")).append("]");
        png(img.resolve("1f44b.png"), "1F44B", style);
        png(img.resolve("1f44b-1f3fb.png"), "1F44B-1F3FB", style);
        Files.writeString(pkg.resolve("emoji.json"), json);
    }

    private static String entry(String unified, String set) {
        return "{\"unified\": \"" + unified + "\", \"image\": \"" + unified.toLowerCase(java.util.Locale.ROOT)
                + ".png\", \"has_img_" + set + "\": true}";
    }

    private static void labels(Path en, List<String> hex) throws IOException {
        Files.writeString(en.resolve("messages.json"), "{\"groups\": [{\"key\": \"smileys-emotion\", \"message\": "
                + "\"smileys\", \"order\": 0}], \"subgroups\": [{\"key\": \"face\", \"message\": \"face\", "
                + "\"order\": 0}], \"skinTones\": []}");
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < hex.size(); i++) {
            json.append("{\"label\": \"face number ").append(i).append("\", \"hexcode\": \"").append(hex.get(i))
                    .append("\", \"group\": 0, \"subgroup\": 0},\n");
        }
        json.append("{\"label\": \"waving hand\", \"hexcode\": \"1F44B\", \"group\": 0, \"subgroup\": 0, \"skins\": "
                + "[{\"label\": \"waving hand: light skin tone\", \"hexcode\": \"1F44B-1F3FB\"}]}]");
        Files.writeString(en.resolve("data.json"), json);
    }

    /** A 32x32 PNG: a disc whose colours come from the key and the style, on a transparent background. */
    private static void png(Path file, String key, int style) {
        int h = key.hashCode() * 31 + style;
        int fill = 0xff000000 | (h * 0x9E3779B1 >>> 8);
        int ring = 0xff000000 | (h * 0x85EBCA6B >>> 8);
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                double r = Math.hypot(x - 15.5, y - 15.5);
                if (r < 14) {
                    img.setRGB(x, y, r < 10 ? fill : ring);
                }
            }
        }
        PngWriter.write(file, img, Map.of());
    }
}
