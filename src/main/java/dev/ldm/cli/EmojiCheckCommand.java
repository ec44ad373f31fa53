package dev.ldm.cli;

import dev.ldm.data.emoji.EmojiRendererCheck;
import dev.ldm.data.emoji.EmojiSource;
import dev.ldm.data.emoji.NpmPackages;
import dev.ldm.util.Parallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm data emoji-check}: how closely ldm's SVG renderer reproduces Google's Noto PNGs (see
 * {@link EmojiRendererCheck}). Installs the SVG source's packages and emoji-datasource-google.
 */
@Command(name = "emoji-check", mixinStandardHelpOptions = true,
        description = {"Check the SVG renderer: Noto rendered from @iconify-json/noto at 64 px against",
            "emoji-datasource-google's 64 px PNGs (both on white); prints mean PSNR and the worst cases."})
public final class EmojiCheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--packages", description = "npm prefix folder for the packages (default: ~/.cache/ldm/npm).")
    Path packages;

    @Option(names = "--worst", defaultValue = "10", description = "Worst cases to list (default: ${DEFAULT-VALUE}).")
    int worst;

    @Option(names = "--threads", description = "Icons rendered at once (default: the number of processors).")
    Integer threads;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getErr();
        List<NpmPackages.Package> wanted = new ArrayList<>(EmojiSource.SVG.packages());
        NpmPackages.pinned().stream().filter(p -> p.name().equals("emoji-datasource-google")).forEach(wanted::add);
        Path nodeModules = NpmPackages.system().ensure(packages == null ? NpmPackages.defaultPrefix() : packages,
                wanted, line -> {
                    log.println(line);
                    log.flush();
                });
        EmojiRendererCheck.Result r = EmojiRendererCheck.run(nodeModules, Math.max(0, worst),
                threads == null ? Parallel.defaultThreads() : threads, line -> {
                    log.println(line);
                    log.flush();
                });
        PrintWriter o = spec.commandLine().getOut();
        o.printf("Noto SVG (JSVG) vs emoji-datasource-google PNG at %d px, on white: %d emoji, mean PSNR %.2f dB, "
                + "median %.2f dB (quartiles %.2f, %.2f), %d below 30 dB, %d not rendered (%.1f s)%n",
                EmojiRendererCheck.SIZE, r.compared(), r.meanPsnr(), r.medianPsnr(), r.quartiles()[0], r.quartiles()[1],
                r.below30(), r.refused(), r.seconds());
        for (EmojiRendererCheck.Case c : r.worst()) {
            o.printf("  %6.2f dB  %-22s %-30s icon %s%n", c.psnr(), c.key(), c.label(), c.icon());
        }
        return 0;
    }
}
