package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import dev.ldm.image.SvgRenderer;
import dev.ldm.io.AtomicFiles;
import dev.ldm.io.Json;
import dev.ldm.util.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Builds ldm's default training set from the pinned emoji packages ({@code ldm data emoji}): each
 * planned image (an image file decoded, or a vector icon rendered at the target size with
 * {@link SvgRenderer}) composited on white, resized, and written as {@code KEY.png} + {@code KEY.txt}
 * (caption {@code fox, twemoji style}) under {@code train/<style>/}, {@code heldout/style/<style>/}
 * or {@code heldout/concept/<style>/}, the layout {@link ImageFolder#scan} reads. Beside them:
 * {@code split.json} (rules and counts), {@code heldout-prompts.txt} and {@code NOTICE}.
 *
 * <p>Caption files hold alternative phrasings, one per line ({@link EmojiImage#captions}).
 *
 * <p>Images are written on {@link EmojiDatasetConfig#threads} threads; each file depends on its own
 * source alone, so the bytes do not depend on the thread count or the order.
 *
 * <p>Resumable: an image whose PNG and caption both exist is skipped, every file appears
 * atomically, and the temporary files of a killed build are deleted. {@code build.json} records
 * the settings and package versions; a folder built with other ones is refused rather than mixed.
 */
public final class EmojiDataset {
    public static final String SPLIT_FILE = "split.json";
    public static final String PROMPTS_FILE = "heldout-prompts.txt";
    public static final String NOTICE_FILE = "NOTICE";
    public static final String BUILD_FILE = "build.json";
    static final String LABELS_ATTRIBUTION = "Emoji labels from emojibase-data, MIT License.";

    /** What renders vector icons, recorded in build.json (a renderer change changes pixels). */
    static final String SVG_RENDERER = "svg, rendered with JSVG 2.0.0";

    /**
     * The settings a folder was built with; a resumed build must match them exactly.
     *
     * @param source null for the PNG source (so folders built before there was a choice still match),
     *     else {@link #SVG_RENDERER}
     */
    record BuildSettings(int size, List<String> styles, boolean skinTones, List<String> packages, String split,
            String source) {}

    /**
     * What a build did.
     *
     * @param plan the planned images and their counts
     * @param written images written by this run
     * @param skipped images already present (a resumed run)
     * @param recaptioned images already present whose caption file was rewritten (an older ldm's captions)
     * @param seconds wall time of the run
     * @param failed vector icons the renderer refused or could not draw (each warned about; no file)
     */
    public record Report(EmojiPlan plan, int written, int skipped, int recaptioned, double seconds, int failed) {}

    private EmojiDataset() {}

    /** Installs (or reuses) the pinned packages with npm and builds the data set. */
    public static Report build(EmojiDatasetConfig config, NpmPackages npm, Consumer<String> log) {
        List<NpmPackages.Package> packages = config.source().packages();
        Path nodeModules = npm.ensure(config.packages(), packages, log);
        return build(config, nodeModules, packages, log);
    }

    /** Builds the data set from packages already installed in {@code nodeModules}. */
    public static Report build(EmojiDatasetConfig config, Path nodeModules, List<NpmPackages.Package> packages,
            Consumer<String> log) {
        long start = System.nanoTime();
        Path out = config.out();
        checkSettings(out, settings(config, packages));
        AtomicFiles.removeAllLeftovers(out); // of a killed build
        EmojiLabels labels = EmojiLabels.read(nodeModules.resolve("emojibase-data"));
        EmojiPlan plan = EmojiPlan.make(nodeModules, labels, config, log);
        List<EmojiPlan.Item> items = plan.items();
        SvgRenderer renderer = SvgRenderer.withDefaults();
        int[] counts = new int[Wrote.values().length];
        Parallel.map(items, item -> write(item, out, config.size(), config.templates(), config.templateLines(),
                renderer, log), config.threads(), (i, wrote) -> {
            counts[wrote.ordinal()]++;
            if ((i + 1) % 1000 == 0) {
                log.accept((i + 1) + " / " + items.size() + " images");
            }
        });
        Json.write(out.resolve(SPLIT_FILE), SplitSummary.of(plan));
        AtomicFiles.writeString(out.resolve(PROMPTS_FILE), String.join("\n", heldoutPrompts(plan)) + "\n");
        AtomicFiles.writeString(out.resolve(NOTICE_FILE), notice(config, packages));
        int present = counts[Wrote.CAPTION.ordinal()] + counts[Wrote.NOTHING.ordinal()];
        return new Report(plan, counts[Wrote.IMAGE.ordinal()], present, counts[Wrote.CAPTION.ordinal()],
                (System.nanoTime() - start) / 1e9, counts[Wrote.FAILED.ordinal()]);
    }

    /**
     * Writes one image unless it exists, and its caption file unless it exists with the same lines
     * (a folder built by an older ldm gets the current captions); returns what it wrote. A vector icon
     * the renderer refuses is warned about in one line and written as nothing.
     */
    static Wrote write(EmojiPlan.Item item, Path root, int size, TemplateSet templates, int templateLines,
            SvgRenderer renderer, Consumer<String> log) {
        Path png = item.png(root);
        Path txt = png.resolveSibling(item.image().key().value() + ".txt");
        Wrote wrote = Wrote.NOTHING;
        dev.ldm.io.Tensor pixels;
        if (Files.isRegularFile(png)) {
            pixels = Images.toTensor(Images.read(png), size);
        } else {
            java.awt.image.BufferedImage art;
            try {
                art = artwork(item.image(), size, renderer);
            } catch (SvgRenderer.Refused e) {
                log.accept("warning: " + item.image().style().word() + " icon '" + item.image().icon().name() + "' ("
                        + item.image().key() + ") not rendered: " + e.getMessage());
                return Wrote.FAILED;
            }
            java.awt.image.BufferedImage image = Images.toImage(Images.toTensor(art, size));
            PngWriter.write(png, image, Map.of());
            pixels = Images.toTensor(image, size); // the 8-bit pixels, as a resumed build reads them back
            wrote = Wrote.IMAGE;
        }
        String caption = String.join("\n", item.image().captions(pixels, templates, templateLines)) + "\n";
        if (!caption.equals(readOrNull(txt))) { // null when missing or unreadable
            AtomicFiles.writeString(txt, caption);
            wrote = wrote == Wrote.IMAGE ? Wrote.IMAGE : Wrote.CAPTION;
        }
        return wrote;
    }

    /** What {@link #write} did for one image. */
    enum Wrote { IMAGE, CAPTION, NOTHING, FAILED }

    /**
     * The image to composite and resize: a vector icon rendered at the target size on a transparent
     * background (so resizing leaves it as drawn), or the package's image file decoded.
     */
    static java.awt.image.BufferedImage artwork(EmojiImage image, int size, SvgRenderer renderer)
            throws SvgRenderer.Refused {
        return image.icon() != null ? renderer.render(image.icon().document(), size) : Images.read(image.source());
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Held-out prompts, sorted: the caption of every held-out image, and the bare label of every
     * concept held out in all styles.
     */
    static List<String> heldoutPrompts(EmojiPlan plan) {
        TreeSet<String> prompts = new TreeSet<>();
        for (EmojiPlan.Item item : plan.items()) {
            if (item.part() != DataSplit.Part.TRAIN) {
                prompts.add(item.image().caption());
            }
            if (item.part() == DataSplit.Part.HELDOUT_CONCEPT) {
                prompts.add(item.image().label().label());
            }
        }
        return new ArrayList<>(prompts);
    }

    static String notice(EmojiDatasetConfig config, List<NpmPackages.Package> packages) {
        StringBuilder sb = new StringBuilder();
        sb.append("Emoji images in this data set come from the npm packages ")
                .append(String.join(", ", packages.stream().map(NpmPackages.Package::spec).toList()))
                .append(config.source() == EmojiSource.SVG ? ".\nThey were rendered from their SVG artwork with JSVG, "
                        + "composited on white and resized to " : ".\nThey were composited on white and resized to ")
                .append(config.size()).append('x').append(config.size()).append(" pixels by ldm.\n\n");
        for (String line : config.styles().stream().map(EmojiStyle::attribution).distinct().toList()) {
            sb.append(line).append('\n'); // Fluent Flat and Color share Microsoft's line
        }
        sb.append(LABELS_ATTRIBUTION).append('\n');
        return sb.toString();
    }

    private static BuildSettings settings(EmojiDatasetConfig config, List<NpmPackages.Package> packages) {
        return new BuildSettings(config.size(), config.styles().stream().map(EmojiStyle::word).toList(),
                config.skinTones(), packages.stream().map(NpmPackages.Package::spec).toList(), DataSplit.describe(),
                config.source() == EmojiSource.SVG ? SVG_RENDERER : null);
    }

    /** Records the settings in a new folder; refuses a folder built with other settings. */
    private static void checkSettings(Path out, BuildSettings wanted) {
        Path file = out.resolve(BUILD_FILE);
        if (Files.isRegularFile(file)) {
            BuildSettings had = Json.read(file, BuildSettings.class);
            if (!Objects.equals(had, wanted)) {
                throw LdmException.badInput(out + ": built with other settings (" + Json.compact(had)
                        + "); choose another --out or delete that folder");
            }
            return;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw LdmException.badInput(out + ": not a folder");
        }
        Json.write(file, wanted);
    }
}
