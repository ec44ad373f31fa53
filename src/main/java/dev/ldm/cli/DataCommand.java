package dev.ldm.cli;

import dev.ldm.data.ShapesDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm data ...}: builds training sets. */
@Command(name = "data", description = "Build training data sets.", mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Shapes.class, EmojiDataCommand.class, EmojiCheckCommand.class,
                RestyleCommand.class, RecolourCommand.class})
public final class DataCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing data set name (shapes or emoji)");
    }

    /** {@code ldm data shapes --out DIR}: ldm's own procedurally drawn shapes with captions. */
    @Command(name = "shapes", description = "Draw coloured shapes with captions such as 'a red circle'.",
            mixinStandardHelpOptions = true)
    public static final class Shapes implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, description = "Folder to write the images and captions into.")
        Path out;
        @Option(names = "--per-pair", defaultValue = "40", description = "Images per (colour, shape) pair.") int perPair;
        @Option(names = "--size", defaultValue = "32", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
        int size;
        @Option(names = "--seed", defaultValue = "0", description = "Seed of positions and sizes "
                + "(default: ${DEFAULT-VALUE}).") long seed;

        @Override
        public Integer call() {
            if (perPair < 1 || perPair > 100_000) {
                throw dev.ldm.LdmException.badInput("--per-pair must be between 1 and 100000");
            }
            if (size < 8 || size > 1024) {
                throw dev.ldm.LdmException.badInput("--size must be between 8 and 1024");
            }
            int n = ShapesDataset.generate(out, perPair, size, seed).size();
            spec.commandLine().getOut().println("wrote " + n + " images to " + out);
            return 0;
        }
    }
}
