package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import dev.ldm.util.Parallel;
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
 * @param source raster images or vector icons ({@link EmojiSource#forSize} by default)
 * @param threads images decoded or rendered at once (the output does not depend on it)
 * @param templates the sentence templates of a last caption line around the concept
 *     ({@link CaptionTemplate}: {@code a picture of a fox, noto style}); {@link TemplateSet#NONE}: no such line
 * @param templateLines how many such lines, each from another template of the set (1 to the set's count)
 */
public record EmojiDatasetConfig(Path out, int size, List<EmojiStyle> styles, boolean skinTones, Path packages,
        EmojiSource source, int threads, TemplateSet templates, int templateLines) {
    public static final int DEFAULT_SIZE = 32;
    /** The template line unless told otherwise: none. */
    public static final TemplateSet DEFAULT_TEMPLATES = TemplateSet.NONE;
    /** Template lines per image unless told otherwise. */
    public static final int DEFAULT_TEMPLATE_LINES = 1;
    public EmojiDatasetConfig {
        if (out == null || packages == null || source == null) {
            throw LdmException.badInput("emoji data set: --out and the package folder are required");
        }
        java.util.Objects.requireNonNull(templates, "templates");
        boolean linesFit = templates == TemplateSet.NONE
                ? templateLines == 1
                : templateLines >= 1 && templateLines <= templates.count();
        if (!linesFit) {
            throw LdmException.badInput(templates == TemplateSet.NONE
                    ? "emoji data set: --template-lines needs --templates"
                    : "emoji data set: --template-lines must be 1 to " + templates.count() + " for the "
                            + templates.word() + " templates, not " + templateLines);
        }
        if (styles == null || styles.isEmpty()) {
            throw LdmException.badInput("emoji data set: choose at least one style");
        }
        for (EmojiStyle s : styles) {
            if (!source.has(s)) {
                throw LdmException.badInput("emoji data set: style '" + s.word() + "' has no " + source.word()
                        + " artwork (styles with " + source.word() + ": "
                        + String.join(", ", source.styles().stream().map(EmojiStyle::word).toList()) + ")");
            }
        }
        source.checkSize(size, styles);
        if (threads < 1 || threads > Parallel.MAX_THREADS) {
            throw LdmException.badInput("emoji data set: --threads must be 1 to " + Parallel.MAX_THREADS + ", not "
                    + threads);
        }
        styles = styles.stream().distinct().sorted().toList();
    }

    /** The default source for the size, as many threads as processors, and the default caption lines. */
    public EmojiDatasetConfig(Path out, int size, List<EmojiStyle> styles, boolean skinTones, Path packages) {
        this(out, size, styles, skinTones, packages, EmojiSource.forSize(size), Parallel.defaultThreads(),
                DEFAULT_TEMPLATES, DEFAULT_TEMPLATE_LINES);
    }

    /** Every PNG style, no skin tones, 32 px, packages in the default cache. */
    public static EmojiDatasetConfig defaults(Path out) {
        return new EmojiDatasetConfig(out, DEFAULT_SIZE, EmojiSource.PNG.styles(), false, NpmPackages.defaultPrefix());
    }
}
