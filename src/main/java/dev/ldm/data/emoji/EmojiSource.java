package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the emoji images come from. {@link #PNG}: the raster images of emoji-datasource (64 px) and
 * Fluent 3D (256 px), decoded and downsampled, so sizes from 16 up to the smallest side of the chosen
 * styles (Fluent 3D alone serves 128 px, which makes it a style the 128 px vector set never shows).
 * {@link #SVG}: the Iconify vector sets, rendered at any size from 16 to 512. The default follows the
 * size: PNG up to 64 (so ldm's shipped 32 px set stays exactly as it was), SVG above.
 */
public enum EmojiSource {
    PNG("png", NpmPackages.RESOURCE),
    SVG("svg", NpmPackages.SVG_RESOURCE);

    /** Largest size the PNG source serves; above it the default is SVG. */
    public static final int LARGEST_PNG = 64;
    public static final int MIN_SIZE = 16;
    public static final int MAX_SVG_SIZE = 512;

    private final String word;
    private final String packagesResource;

    EmojiSource(String word, String packagesResource) {
        this.word = word;
        this.packagesResource = packagesResource;
    }

    public String word() {
        return word;
    }

    /** The default source for an image size. */
    public static EmojiSource forSize(int size) {
        return size > LARGEST_PNG ? SVG : PNG;
    }

    /** Parses {@code png} or {@code svg}. */
    public static EmojiSource parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.word.equals(w)).findFirst()
                .orElseThrow(() -> LdmException.badInput("unknown emoji source '" + word + "' (use png or svg)"));
    }

    /**
     * Refuses a size this source cannot serve: below 16, above 512 (SVG), or above the smallest
     * image side of the chosen styles (PNG, which would only upsample).
     */
    public void checkSize(int size, List<EmojiStyle> styles) {
        int largest = this == SVG ? MAX_SVG_SIZE
                : styles.stream().mapToInt(s -> s.png().side()).min().orElse(LARGEST_PNG);
        if (size < MIN_SIZE || size > largest) {
            String why = this == SVG ? "" : " (the images of " + String.join(", ", styles.stream()
                    .filter(s -> s.png().side() == largest).map(EmojiStyle::word).toList()) + " are " + largest
                    + " px" + (size > largest ? "; use --source svg" : "") + ")";
            throw LdmException.badInput("emoji data set: --size must be " + MIN_SIZE + " to " + largest + " with --source "
                    + word + why + ", not " + size);
        }
    }

    /** True when the style has artwork in this source. */
    public boolean has(EmojiStyle style) {
        return this == PNG ? style.png() != null : style.svg() != null;
    }

    /** Every style this source has, in style order (the default {@code --styles}). */
    public List<EmojiStyle> styles() {
        return Arrays.stream(EmojiStyle.values()).filter(this::has).toList();
    }

    /** The npm packages this source is built from, pinned in ldm's resources. */
    public List<NpmPackages.Package> packages() {
        return NpmPackages.pinned(packagesResource);
    }
}
