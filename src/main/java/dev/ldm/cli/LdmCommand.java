package dev.ldm.cli;

import picocli.CommandLine.Command;

/** The root command: every feature is a subcommand class. */
@Command(name = "ldm", mixinStandardHelpOptions = true, version = "ldm 0.1.0",
        description = "Text-to-image latent diffusion (rectified-flow DiT) on the JVM, CPU first.",
        subcommands = {GenerateCommand.class, TrainCommand.class, VaeCommand.class, DataCommand.class,
            BenchCommand.class, InfoCommand.class, BatchCommand.class, EvalCommand.class, FinetuneCommand.class,
            ServeCommand.class})
public final class LdmCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
