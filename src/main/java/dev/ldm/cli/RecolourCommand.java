package dev.ldm.cli;

import dev.ldm.data.emoji.RecolourSet;
import dev.ldm.data.emoji.Recolouring;
import dev.ldm.util.Parallel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm data recolour --from DIR --out DIR}: hue-rotated copies of a captioned folder whose
 * captions name the measured new colour ({@link RecolourSet}).
 */
@Command(name = "recolour", aliases = "recolor", mixinStandardHelpOptions = true,
        description = {"Write hue-rotated copies of a captioned image folder, captioned with the colour measured on",
            "the copy ('a blue fox, noto style'), so that colour words bind to any concept; some (concept, colour)",
            "pairs are held out and written as evaluation prompts. Train on both: ldm train --data A --data B."})
public final class RecolourCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Captioned image folder (recursive).")
    Path from;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the copies, with the same "
            + "relative paths, and the prompt files.")
    Path out;
    @Option(names = "--copies", defaultValue = "1", description = "Copies per image, each in another colour "
            + "(default: ${DEFAULT-VALUE}).")
    int copies;
    @Option(names = "--held-out", defaultValue = "" + Recolouring.DEFAULT_HELD_OUT, description = "Share of (concept, "
            + "colour) pairs never drawn, kept for evaluation (default: ${DEFAULT-VALUE}).")
    double heldOut;
    @Option(names = "--prompts", defaultValue = "200", description = "Most prompts per evaluation prompt file "
            + "(default: ${DEFAULT-VALUE}).")
    int prompts;
    @Option(names = "--threads", description = "Images processed at once (default: the number of processors); the "
            + "output does not depend on it.")
    Integer threads;

    @Override
    public Integer call() {
        RecolourSet.Summary s = new RecolourSet(from, out, copies, heldOut, prompts,
                threads == null ? Parallel.defaultThreads() : threads).run();
        spec.commandLine().getOut().printf(Locale.ROOT, "recoloured %d of %d images into %s (%d copies; %d labels name "
                + "a colour, %d without a new colour); %d held-out and %d control prompts%n",
                s.images() - s.namedColour() - s.withoutCopy(), s.images(), out, s.written(), s.namedColour(),
                s.withoutCopy(), s.heldOutPrompts(), s.seenPrompts());
        return 0;
    }
}
