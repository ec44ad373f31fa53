package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the emoji images come from. {@link #PNG}: the 64 px raster images of emoji-datasource and
 * Fluent 3D, decoded and downsampled, so only sizes up to 64. {@link #SVG}: the Iconify vector sets,
 * rendered at any size from 16 to 512. The default follows the size: PNG up to 64 (so ldm's shipped
 * 32 px set stays exactly as it was), SVG above.
 */
public enum EmojiSource {
    PNG("png", NpmPackages.RESOURCE, List.of(16, 32, 64)),
    SVG("svg", NpmPackages.SVG_RESOURCE, null);

    /** Largest size the PNG source serves; above it the default is SVG. */
    public static final int LARGEST_PNG = 64;
    public static final int MIN_SVG_SIZE = 16;
    public static final int MAX_SVG_SIZE = 512;

    private final String word;
    private final String packagesResource;
    private final List<Integer> sizes;

    EmojiSource(String word, String packagesResource, List<Integer> sizes) {
        this.word = word;
        this.packagesResource = packagesResource;
        this.sizes = sizes;
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

    /** Refuses a size this source cannot serve without upsampling (PNG) or outside 16..512 (SVG). */
    public void checkSize(int size) {
        if (sizes != null && !sizes.contains(size)) {
            throw LdmException.badInput("emoji data set: --size must be one of " + sizes + " with --source png"
                    + (size > LARGEST_PNG ? " (the images are 64 px; use --source svg)" : "") + ", not " + size);
        }
        if (sizes == null && (size < MIN_SVG_SIZE || size > MAX_SVG_SIZE)) {
            throw LdmException.badInput("emoji data set: --size must be " + MIN_SVG_SIZE + " to " + MAX_SVG_SIZE
                    + " with --source svg, not " + size);
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
