package dev.ldm.data;

import dev.ldm.LdmException;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of one emoji data set build ({@code ldm data emoji}).
 *
 * @param out the data set folder (train/, heldout/, split.json, heldout-prompts.txt, NOTICE)
 * @param size the side of the square images written, in pixels
 * @param styles the artworks to include, in caption-word order
 * @param skinTones whether skin-tone variants are kept. Off by default: the 1,875 Noto / Twemoji and
 *     1,520 Fluent variants differ from their base emoji only in skin colour, roughly double the set
 *     and its training time, and add nothing a small CPU model needs to tell concepts apart.
 * @param packages the npm prefix folder holding (or to receive) node_modules
 */
public record EmojiDatasetConfig(Path out, int size, List<EmojiStyle> styles, boolean skinTones, Path packages) {
    public static final int DEFAULT_SIZE = 32;
    /** Sizes accepted: the source PNGs are 64 px, so larger sizes would only upsample Noto and Twemoji. */
    public static final List<Integer> SIZES = List.of(16, 32, 64);

    public EmojiDatasetConfig {
        if (out == null || packages == null) {
            throw LdmException.badInput("emoji data set: --out and the package folder are required");
        }
        if (!SIZES.contains(size)) {
            throw LdmException.badInput("emoji data set: --size must be one of " + SIZES + ", not " + size);
        }
        if (styles == null || styles.isEmpty()) {
            throw LdmException.badInput("emoji data set: choose at least one style");
        }
        styles = styles.stream().distinct().sorted().toList();
    }

    /** Every style, no skin tones, 32 px, packages in the default cache. */
    public static EmojiDatasetConfig defaults(Path out) {
        return new EmojiDatasetConfig(out, DEFAULT_SIZE, List.of(EmojiStyle.values()), false, NpmPackages.defaultPrefix());
    }
}
