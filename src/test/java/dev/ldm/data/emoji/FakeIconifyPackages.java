package dev.ldm.data.emoji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A tiny npm prefix laid out like the Iconify JSON packages (DATA.md) with emojibase-data's labels
 * from {@link FakeEmojiPackages}: Noto, Twemoji and Fluent Flat join through their chars.json, Fluent
 * Color borrows the flat set's, the others join through names (a label slug, a shortcode, a name
 * without hyphens, Streamline's numbered drawings). Also: a hidden icon, an alias that repeats its
 * parent, a mirrored alias ({@code pinata} = {@code grinning-face} flipped), a rotated alias, an alias
 * of a missing icon, an icon-level viewBox, and a name no label matches. Each set draws in its own
 * colour, and the grinning face is a bar on the left half, so a mirror shows. Emoji One's red apple has its own
 * 64 x 128 viewBox.
 */
final class FakeIconifyPackages {
    private FakeIconifyPackages() {}

    /** Writes the tree under {@code prefix} (package.json versions as pinned) and returns node_modules. */
    static Path write(Path prefix) throws IOException {
        Path nm = prefix.resolve("node_modules");
        for (NpmPackages.Package p : EmojiSource.SVG.packages()) {
            Path dir = Files.createDirectories(nm.resolve(p.name()));
            Files.writeString(dir.resolve("package.json"),
                    "{\"name\": \"" + p.name() + "\", \"version\": \"" + p.version() + "\"}");
        }
        set(nm, "noto", 128, "#e53935", """
                "fox": %FOX%, "grinning-face": %BAR%, "red-apple": %DOT%, "waving-hand": %DOT%,
                "waving-hand-light-skin-tone": %DOT%, "old-fox": {"body": "<path d='M0 0h9v9z'/>", "hidden": true}""",
                """
                "fox-face": {"parent": "fox"}""",
                Map.of("1f98a", "fox", "1f600", "grinning-face", "1f34e", "red-apple", "1f44b", "waving-hand",
                        "1f44b-1f3fb", "waving-hand-light-skin-tone"));
        set(nm, "twemoji", 36, "#1e88e5", """
                "fox": %FOX%, "grinning-face": %BAR%, "pinata": %DOT%, "chequered-flag": %DOT%""", "",
                Map.of("1f98a", "fox", "1f600", "grinning-face", "1fa85", "pinata", "1f3c1", "chequered-flag"));
        set(nm, "fluent-emoji-flat", 32, "#43a047", """
                "fox": %FOX%, "grinning-face": %BAR%, "red-apple": %DOT%""", """
                "pinata": {"parent": "grinning-face", "hFlip": true}""",
                Map.of("1f98a", "fox", "1f600", "grinning-face", "1f34e", "red-apple"));
        set(nm, "fluent-emoji", 32, "#8e24aa", """
                "fox": %FOX%, "grinning-face": %BAR%, "red-apple": %DOT%""", "", Map.of());
        set(nm, "fluent-emoji-high-contrast", 32, "#000000", """
                "fox": %FOX%, "red-apple": %DOT%""", "", Map.of("1f98a", "fox", "1f34e", "red-apple"));
        set(nm, "emojione", 64, "#fb8c00", """
                "fox-face": %FOX%, "grinning-face": %BAR%, "red-apple": {"body": "<rect fill='#fb8c00' width='64' height='128'/>", "width": 64, "height": 128}""",
                """
                "turned-fox": {"parent": "fox-face", "rotate": 1}, "lost": {"parent": "nothing"}""", Map.of());
        set(nm, "noto-v1", 128, "#6d4c41", """
                "red-apple": %DOT%, "waving-hand": %DOT%""", "", Map.of());
        set(nm, "fxemoji", 512, "#00897b", """
                "grinningface": %BAR%, "redapple": %DOT%""", "", Map.of());
        set(nm, "streamline-emojis", 48, "#3949ab", """
                "fox-1": %FOX%, "fox-2": %DOT%, "mystery-thing": %DOT%""", "", Map.of());
        FakeEmojiPackages.emojibase(nm.resolve("emojibase-data/en"));
        Path shortcodes = Files.createDirectories(nm.resolve("emojibase-data/en/shortcodes"));
        Files.writeString(shortcodes.resolve("joypixels.json"), "{\"1F98A\": [\"fox\", \"fox_face\"], \"1F600\": \"grinning\"}");
        return nm;
    }

    /**
     * One icons.json (and chars.json, empty as most sets ship it when {@code chars} is empty) whose
     * bodies are drawn in {@code colour} on a {@code side} viewBox: %FOX% a triangle, %BAR% a bar on
     * the left half, %DOT% a circle.
     */
    private static void set(Path nm, String name, int side, String colour, String icons, String aliases,
            Map<String, String> chars) throws IOException {
        double s = side;
        String fox = "<path fill='" + colour + "' d='M" + s * 0.1 + " " + s * 0.9 + "L" + s * 0.5 + " " + s * 0.1 + "L"
                + s * 0.9 + " " + s * 0.9 + "Z'/>";
        String bar = "<rect fill='" + colour + "' x='" + s * 0.1 + "' y='" + s * 0.1 + "' width='" + s * 0.3
                + "' height='" + s * 0.8 + "'/>";
        String dot = "<circle fill='" + colour + "' cx='" + s / 2 + "' cy='" + s / 2 + "' r='" + s * 0.35 + "'/>";
        String body = icons.replace("%FOX%", obj(fox)).replace("%BAR%", obj(bar)).replace("%DOT%", obj(dot));
        Path dir = nm.resolve("@iconify-json/" + name);
        Files.writeString(dir.resolve("icons.json"), "{\"prefix\": \"" + name + "\", \"icons\": {" + body
                + "}, \"aliases\": {" + aliases + "}, \"width\": " + side + ", \"height\": " + side + "}");
        StringBuilder c = new StringBuilder("{");
        new java.util.TreeMap<>(chars).forEach((k, v) -> c.append(c.length() > 1 ? ", " : "").append('"').append(k)
                .append("\": \"").append(v).append('"'));
        Files.writeString(dir.resolve("chars.json"), c.append('}').toString());
        Files.writeString(dir.resolve("info.json"), "{\"prefix\": \"" + name + "\"}");
    }

    private static String obj(String svg) {
        return "{\"body\": \"" + svg + "\"}";
    }
}
