package dev.ldm.data.emoji;

import dev.ldm.image.PngWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny npm prefix laid out like the real packages (DATA.md): emoji-datasource emoji.json with a skin
 * variation, a keycap spelled with FE0F, an image only Google draws, an entry whose file is missing and
 * one emojibase does not label; Fluent files (PNG; the catalog accepts PNG and WebP) with a duplicate
 * spelling, a country and a subdivision flag, a technologist, the paperclip, a chequered flag and a
 * medium-light / medium pair whose files are swapped; emojibase en/data.json and messages.json.
 */
final class FakeEmojiPackages {
    /** Opaque grey levels: a medium-light file drawn darker than its medium partner (swapped). */
    static final int LIGHT_GREY = 0xd0d0d0;
    static final int DARK_GREY = 0x303030;

    private FakeEmojiPackages() {}

    /** Writes the tree under {@code prefix} (package.json versions as pinned) and returns node_modules. */
    static Path write(Path prefix) throws IOException {
        Path nm = prefix.resolve("node_modules");
        for (NpmPackages.Package p : NpmPackages.pinned()) {
            Path dir = nm.resolve(p.name());
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("package.json"),
                    "{\"name\": \"" + p.name() + "\", \"version\": \"" + p.version() + "\"}");
        }
        datasource(nm.resolve("emoji-datasource-google"), "google", true);
        datasource(nm.resolve("emoji-datasource-twitter"), "twitter", false);
        fluent(nm.resolve("@lobehub/fluent-emoji-3d/assets"));
        emojibase(nm.resolve("emojibase-data/en"));
        return nm;
    }

    private static void datasource(Path pkg, String set, boolean drawsGrinning) throws IOException {
        String json = "[" + String.join(",",
                entry("1F98A", "1f98a.png", set, true, ""),
                entry("0023-FE0F-20E3", "0023-fe0f-20e3.png", set, true, ""),
                entry("1F44B", "1f44b.png", set, true, ", \"skin_variations\": {\"1F3FB\": "
                        + entry("1F44B-1F3FB", "1f44b-1f3fb.png", set, true, "") + "}"),
                entry("1F600", "1f600.png", set, drawsGrinning, ""),
                entry("1F3FB", "1f3fb.png", set, true, ""),
                entry("1F34E", "1f34e.png", set, true, ""),
                entry("1FAE8", "1fae8.png", set, true, "")) + "]";
        Files.writeString(pkg.resolve("emoji.json"), json);
        Path img = pkg.resolve("img/" + set + "/64");
        for (String f : List.of("1f98a", "0023-fe0f-20e3", "1f44b", "1f44b-1f3fb", "1f600", "1f3fb", "1fae8")) {
            png(img.resolve(f + ".png"), 0xff8000);
        }
        // 1f34e.png (red apple) is listed but missing
    }

    private static String entry(String unified, String image, String set, boolean drawn, String extra) {
        return "{\"unified\": \"" + unified + "\", \"image\": \"" + image + "\", \"has_img_" + set + "\": " + drawn
                + ", \"has_img_apple\": true" + extra + "}";
    }

    private static void fluent(Path assets) throws IOException {
        for (String f : List.of("1f98a", "23-fe0f-20e3", "0023-fe0f-20e3", "1f1fa-1f1f8",
                "1f3f4-e0067_e0062_e0065_e006e_e0067", "1f9d1-200d-1f4bb", "1f9d1-1f3fb-200d-1f4bb", "1f4ce",
                "1f3c1", "1fa85", "1f44b", "1f44b-1f3fb")) {
            png(assets.resolve(f + ".png"), 0x2080ff);
        }
        png(assets.resolve("1f44b-1f3fc.png"), DARK_GREY);
        png(assets.resolve("1f44b-1f3fd.png"), LIGHT_GREY);
    }

    /** emojibase-data's en/data.json and messages.json with the labels above. */
    static void emojibase(Path en) throws IOException {
        Files.createDirectories(en);
        Files.writeString(en.resolve("messages.json"), """
                {"groups": [{"key": "smileys-emotion", "message": "smileys", "order": 0},
                            {"key": "flags", "message": "flags", "order": 9}],
                 "subgroups": [{"key": "face", "message": "face", "order": 0},
                               {"key": "flag", "message": "other flags", "order": 97},
                               {"key": "country-flag", "message": "country flags", "order": 98},
                               {"key": "subdivision-flag", "message": "subdivision flags", "order": 99}],
                 "skinTones": []}
                """);
        Files.writeString(en.resolve("data.json"), """
                [{"label": "fox", "hexcode": "1F98A", "group": 0, "subgroup": 0},
                 {"label": "keycap: #", "hexcode": "0023-FE0F-20E3", "group": 0, "subgroup": 0},
                 {"label": "waving hand", "hexcode": "1F44B", "group": 0, "subgroup": 0, "skins": [
                    {"label": "waving hand: light skin tone", "hexcode": "1F44B-1F3FB"},
                    {"label": "waving hand: medium-light skin tone", "hexcode": "1F44B-1F3FC"},
                    {"label": "waving hand: medium skin tone", "hexcode": "1F44B-1F3FD"}]},
                 {"label": "grinning face", "hexcode": "1F600", "group": 0, "subgroup": 0},
                 {"label": "light skin tone", "hexcode": "1F3FB"},
                 {"label": "red apple", "hexcode": "1F34E", "group": 0, "subgroup": 0},
                 {"label": "flag: United States", "hexcode": "1F1FA-1F1F8", "group": 9, "subgroup": 98},
                 {"label": "flag: England", "hexcode": "1F3F4-E0067-E0062-E0065-E006E-E0067-E007F",
                  "group": 9, "subgroup": 99},
                 {"label": "chequered flag", "hexcode": "1F3C1", "group": 9, "subgroup": 97},
                 {"label": "technologist", "hexcode": "1F9D1-200D-1F4BB", "group": 0, "subgroup": 0, "skins": [
                    {"label": "technologist: light skin tone", "hexcode": "1F9D1-1F3FB-200D-1F4BB"}]},
                 {"label": "paperclip", "hexcode": "1F4CE", "group": 0, "subgroup": 0},
                 {"label": "Pi\u00f1ata", "hexcode": "1FA85", "group": 0, "subgroup": 0}]
                """);
    }

    /** An 8x8 PNG: an opaque 4x4 square of {@code rgb} on a transparent background. */
    static void png(Path file, int rgb) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 2; y < 6; y++) {
            for (int x = 2; x < 6; x++) {
                img.setRGB(x, y, 0xff000000 | rgb);
            }
        }
        PngWriter.write(file, img, Map.of());
    }
}
