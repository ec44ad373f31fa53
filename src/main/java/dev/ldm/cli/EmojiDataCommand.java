package dev.ldm.cli;

import dev.ldm.data.EmojiDataset;
import dev.ldm.data.EmojiDatasetConfig;
import dev.ldm.data.EmojiPlan;
import dev.ldm.data.EmojiStyle;
import dev.ldm.data.NpmPackages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm data emoji --out DIR}: ldm's default training set, Noto, Twemoji and Fluent 3D emoji
 * from pinned npm packages, captioned from emojibase, with a fixed held-out split (see
 * {@link EmojiDataset}).
 */
@Command(name = "emoji", mixinStandardHelpOptions = true,
        description = {"Build the emoji training set (Noto, Twemoji, Fluent 3D; captions 'fox, twemoji style')",
            "from npm packages pinned in ldm, installed with npm into a cache folder."})
public final class EmojiDataCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Data set folder (train/, heldout/, split.json).")
    Path out;

    @Option(names = "--size", defaultValue = "32", description = "Image side in pixels: 16, 32 or 64 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--packages", description = "npm prefix folder for the packages (default: ~/.cache/ldm/npm).")
    Path packages;

    @Option(names = "--skin-tones", negatable = true, defaultValue = "false",
            description = "Keep skin-tone variants (default: dropped; they only recolour their base emoji).")
    boolean skinTones;

    @Option(names = "--styles", split = ",", defaultValue = "noto,twemoji,fluent",
            description = "Comma-separated styles (default: ${DEFAULT-VALUE}).")
    List<String> styles;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getErr();
        List<EmojiStyle> chosen = styles.stream().map(EmojiStyle::parse).toList();
        EmojiDatasetConfig config = new EmojiDatasetConfig(out, size, chosen, skinTones,
                packages == null ? NpmPackages.defaultPrefix() : packages);
        EmojiDataset.Report report = EmojiDataset.build(config, NpmPackages.system(), line -> {
            log.println(line);
            log.flush();
        });
        PrintWriter o = spec.commandLine().getOut();
        for (Map.Entry<EmojiStyle, EmojiPlan.StyleCounts> e : report.plan().counts().entrySet()) {
            EmojiPlan.StyleCounts c = e.getValue();
            o.printf("%-8s %5d images: %5d train, %4d held out in style, %4d of held-out concepts%n",
                    e.getKey().word(), c.kept(), c.train(), c.heldoutStyle(), c.heldoutConcept());
        }
        o.printf("wrote %d images (%d already present%s) to %s in %.1f s%n", report.written(), report.skipped(),
                report.recaptioned() > 0 ? ", " + report.recaptioned() + " with captions rewritten" : "", out,
                report.seconds());
        return 0;
    }
}
