package dev.ldm.data;

import dev.ldm.LdmException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The three emoji artworks ldm trains on, each from its npm package (DATA.md). The style's name is
 * the word a caption uses ({@code fox, twemoji style}), so a prompt can pick the artist.
 */
public enum EmojiStyle {
    /** Google's Noto Emoji, 64 px PNGs in emoji-datasource-google. */
    NOTO("noto", "emoji-datasource-google", "img/google/64", "google",
            "Noto Emoji \u00A9 Google, Apache License 2.0."),
    /** Twitter's Twemoji, 64 px PNGs in emoji-datasource-twitter. */
    TWEMOJI("twemoji", "emoji-datasource-twitter", "img/twitter/64", "twitter",
            "Twemoji graphics by Twitter, Inc. and other contributors, CC-BY 4.0 "
                    + "(https://creativecommons.org/licenses/by/4.0/); resized."),
    /** Microsoft's Fluent Emoji 3D, 256 px WebPs in @lobehub/fluent-emoji-3d. */
    FLUENT("fluent", "@lobehub/fluent-emoji-3d", "assets", null, "Fluent Emoji \u00A9 Microsoft, MIT License.");

    private final String word;
    private final String packageName;
    private final String imageDir;
    private final String datasourceSet;
    private final String attribution;

    EmojiStyle(String word, String packageName, String imageDir, String datasourceSet, String attribution) {
        this.word = word;
        this.packageName = packageName;
        this.imageDir = imageDir;
        this.datasourceSet = datasourceSet;
        this.attribution = attribution;
    }

    /** The caption word and folder name: noto, twemoji or fluent. */
    public String word() {
        return word;
    }

    /** The npm package holding the images. */
    public String packageName() {
        return packageName;
    }

    /** The image folder inside the installed package. */
    public Path imageDir(Path nodeModules) {
        return nodeModules.resolve(packageName).resolve(imageDir);
    }

    /**
     * The emoji-datasource image set ({@code google}, {@code twitter}) whose {@code has_img_*} flags
     * say which entries are drawn; null for Fluent, which has no emoji.json.
     */
    public String datasourceSet() {
        return datasourceSet;
    }

    /** The licence line for NOTICE. */
    public String attribution() {
        return attribution;
    }

    /** The caption for an image of this style: {@code fox, twemoji style}. */
    public String caption(String label) {
        return label + ", " + word + " style";
    }

    /** Parses a caption word (case-insensitive). */
    public static EmojiStyle parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.word.equals(w)).findFirst()
                .orElseThrow(() -> LdmException.badInput("unknown emoji style '" + word + "' (use "
                        + String.join(", ", Arrays.stream(values()).map(EmojiStyle::word).toList()) + ")"));
    }
}
