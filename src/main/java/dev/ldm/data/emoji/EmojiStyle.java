package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The emoji artworks ldm trains on, each from its npm packages (DATA.md): raster images
 * ({@link EmojiSource#PNG}: Noto, Twemoji, Fluent 3D) and Iconify vector sets
 * ({@link EmojiSource#SVG}: Noto, Twemoji, Fluent Flat, Color and High Contrast, Emoji One, Noto v1,
 * Firefox OS, Streamline). The style's word names its folder and picks it in {@code --styles}; its caption name is
 * what a caption says ({@code fox, fluent flat style}), so a prompt can pick the artist. Noto and
 * Twemoji are one style in both sources: the same artwork, folder, caption and held-out split.
 */
public enum EmojiStyle {
    /** Google's Noto Emoji. */
    NOTO("noto", "noto", new Png("emoji-datasource-google", "img/google/64", "google", 64),
            new Svg("@iconify-json/noto", "@iconify-json/noto"), "Noto Emoji \u00A9 Google, Apache License 2.0."),
    /** Twitter's Twemoji. */
    TWEMOJI("twemoji", "twemoji", new Png("emoji-datasource-twitter", "img/twitter/64", "twitter", 64),
            new Svg("@iconify-json/twemoji", "@iconify-json/twemoji"),
            "Twemoji graphics by Twitter, Inc. and other contributors, CC-BY 4.0 "
                    + "(https://creativecommons.org/licenses/by/4.0/); resized."),
    /** Microsoft's Fluent Emoji 3D, 256 px WebPs in @lobehub/fluent-emoji-3d (no vector artwork). */
    FLUENT("fluent", "fluent", new Png("@lobehub/fluent-emoji-3d", "assets", null, 256), null,
            "Fluent Emoji \u00A9 Microsoft, MIT License."),
    /** Microsoft's Fluent Emoji Flat. */
    FLUENT_FLAT("fluent-flat", "fluent flat", null,
            new Svg("@iconify-json/fluent-emoji-flat", "@iconify-json/fluent-emoji-flat"),
            "Fluent Emoji \u00A9 Microsoft, MIT License."),
    /** Microsoft's Fluent Emoji Color: the flat set's names, so it borrows the flat set's chars.json. */
    FLUENT_COLOR("fluent-color", "fluent color", null,
            new Svg("@iconify-json/fluent-emoji", "@iconify-json/fluent-emoji-flat"),
            "Fluent Emoji \u00A9 Microsoft, MIT License."),
    /**
     * Microsoft's Fluent Emoji High Contrast: black line art, one drawing per emoji (no skin tones).
     * Not in the list; it is what takes the 128 px set past 12,000 images without skin tones.
     */
    FLUENT_CONTRAST("fluent-contrast", "fluent high contrast", null,
            new Svg("@iconify-json/fluent-emoji-high-contrast", "@iconify-json/fluent-emoji-high-contrast"),
            "Fluent Emoji \u00A9 Microsoft, MIT License."),
    /** Emoji One 2 (the freely licensed EmojiOne artwork, as kept by the Emojitwo project). */
    EMOJIONE("emojione", "emojione", null, new Svg("@iconify-json/emojione", null),
            "Emoji One artwork by Emoji One (https://github.com/EmojiTwo/emojitwo), CC-BY 4.0 "
                    + "(https://creativecommons.org/licenses/by/4.0/); rendered and resized."),
    /** Google's first Noto Emoji design. */
    NOTO_V1("noto-v1", "noto v1", null, new Svg("@iconify-json/noto-v1", null),
            "Noto Emoji (v1) \u00A9 Google, Apache License 2.0."),
    /** Mozilla's Firefox OS emoji. */
    FXEMOJI("fxemoji", "fxemoji", null, new Svg("@iconify-json/fxemoji", null),
            "Firefox OS Emoji (FxEmoji) \u00A9 Mozilla, Apache License 2.0."),
    /** Streamline's emoji. */
    STREAMLINE("streamline", "streamline", null, new Svg("@iconify-json/streamline-emojis", null),
            "Streamline Emojis by Streamline (https://github.com/webalys-hq/streamline-vectors), CC-BY 4.0 "
                    + "(https://creativecommons.org/licenses/by/4.0/); rendered and resized.");

    /**
     * Where a raster style's images are.
     *
     * @param packageName the npm package
     * @param imageDir the image folder inside it
     * @param datasourceSet the emoji-datasource set whose {@code has_img_*} flags say which entries are
     *     drawn; null for Fluent 3D, which has no emoji.json
     * @param side the images' side in pixels: the largest size this style serves without upsampling
     */
    record Png(String packageName, String imageDir, String datasourceSet, int side) {}

    /**
     * Where a vector style's icons are.
     *
     * @param packageName the Iconify JSON package ({@code icons.json})
     * @param charsPackage the package whose {@code chars.json} maps code points to this set's icon names,
     *     or null when the set joins through names alone
     */
    record Svg(String packageName, String charsPackage) {}

    private final String word;
    private final String captionName;
    private final Png png;
    private final Svg svg;
    private final String attribution;

    EmojiStyle(String word, String captionName, Png png, Svg svg, String attribution) {
        this.word = word;
        this.captionName = captionName;
        this.png = png;
        this.svg = svg;
        this.attribution = attribution;
    }

    /** The folder name and {@code --styles} word: noto, twemoji, fluent, fluent-flat, ... */
    public String word() {
        return word;
    }

    /** The npm package holding the images: the raster package where there is one, else the Iconify set. */
    public String packageName() {
        return png != null ? png.packageName() : svg.packageName();
    }

    /** The image folder inside the installed raster package. */
    public Path imageDir(Path nodeModules) {
        return nodeModules.resolve(png.packageName()).resolve(png.imageDir());
    }

    /**
     * The emoji-datasource image set ({@code google}, {@code twitter}) whose {@code has_img_*} flags
     * say which entries are drawn; null for Fluent, which has no emoji.json.
     */
    public String datasourceSet() {
        return png == null ? null : png.datasourceSet();
    }

    /** The raster images, or null for a vector-only style. */
    Png png() {
        return png;
    }

    /** The vector icons, or null for a raster-only style. */
    Svg svg() {
        return svg;
    }

    /** The licence line for NOTICE. */
    public String attribution() {
        return attribution;
    }

    /** The caption for an image of this style: {@code fox, twemoji style}. */
    public String caption(String label) {
        return label + ", " + captionName + " style";
    }

    /** Parses a style word (case-insensitive). */
    public static EmojiStyle parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.word.equals(w)).findFirst()
                .orElseThrow(() -> LdmException.badInput("unknown emoji style '" + word + "' (use "
                        + String.join(", ", Arrays.stream(values()).map(EmojiStyle::word).toList()) + ")"));
    }
}
