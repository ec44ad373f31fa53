package dev.ldm.cli;

import java.util.List;
import picocli.CommandLine.Command;

/**
 * The root command: every feature is a subcommand class, registered by {@link Main} from
 * {@link #NAMES} and {@link #command}. picocli reads the annotations of every command it is given
 * (about 0.4 s for all of them on a cold JVM), so a run that names its command gets that one only.
 */
@Command(name = "ldm", mixinStandardHelpOptions = true, version = "ldm 0.1.0",
        description = "Text-to-image latent diffusion (rectified-flow DiT) on the JVM, CPU first.")
public final class LdmCommand implements Runnable {
    /** Every command's name, in the order {@code ldm --help} lists them. */
    static final List<String> NAMES = List.of("generate", "train", "vae", "data", "bench", "info", "batch", "eval",
            "finetune", "serve", "average");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A new instance of the command {@code name} (one of {@link #NAMES}), or null for any other name. */
    static Object command(String name) {
        return switch (name) {
            case "generate" -> new GenerateCommand();
            case "train" -> new TrainCommand();
            case "vae" -> new VaeCommand();
            case "data" -> new DataCommand();
            case "bench" -> new BenchCommand();
            case "info" -> new InfoCommand();
            case "batch" -> new BatchCommand();
            case "eval" -> new EvalCommand();
            case "finetune" -> new FinetuneCommand();
            case "serve" -> new ServeCommand();
            case "average" -> new AverageCommand();
            default -> null;
        };
    }

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
