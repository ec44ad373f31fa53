package dev.ldm.cli;

import dev.ldm.bench.Benchmark;
import dev.ldm.folder.ModelFolder;
import dev.ldm.io.Json;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm bench}: machine peak, DiT training and sampling throughput, end-to-end time, in one run. */
@Command(name = "bench", description = "Measure throughput on this machine (one run, ratios comparable).",
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Model folder to measure "
            + "(default: ${DEFAULT-VALUE}).") Path model;
    @Option(names = "--batch", defaultValue = "32", description = "Training batch (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--train-steps", defaultValue = "20", description = "DiT training steps timed "
            + "(default: ${DEFAULT-VALUE}).") int trainSteps;
    @Option(names = "--steps", defaultValue = "30", description = "Sampler steps for end-to-end timing.") int steps;
    @Option(names = "--quick", description = "One repetition each (smoke test).") boolean quick;
    @Option(names = "--scaling", description = "Also time training steps at 16/64/256 tokens × batch 1/8/64.") boolean scaling;
    @Option(names = "--json", description = "Print JSON instead of a table.") boolean json;

    @Override
    public Integer call() {
        if (batch < 1 || trainSteps < 1 || steps < 1) {
            throw dev.ldm.LdmException.badInput("--batch, --train-steps and --steps must be at least 1");
        }
        Map<String, Object> r = new Benchmark(ModelFolder.open(ModelFolder.locate(model)), common.device(),
                new Benchmark.Settings(batch, trainSteps, steps, quick, scaling)).run();
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(r));
            return 0;
        }
        out.printf(Locale.ROOT, "%-40s %s%n", "measure", "value");
        r.forEach((k, v) -> {
            if (v instanceof Double d) {
                out.printf(Locale.ROOT, "%-40s %.3f%n", k, d);
            } else if (v instanceof java.util.List<?> rows) {
                out.printf(Locale.ROOT, "%n%-8s %-6s %12s %16s %10s%n", "tokens", "batch", "step ms", "FLOP-expected", "GFLOP/s");
                for (Object o : rows) {
                    Map<?, ?> row = (Map<?, ?>) o;
                    out.printf(Locale.ROOT, "%-8s %-6s %12.1f %16.1f %10.1f%n", row.get("tokens"), row.get("batch"),
                            row.get("step_ms"), row.get("flop_expected_ms"), row.get("gflops"));
                }
            } else if (!(v instanceof dev.ldm.model.DiTConfig)) {
                out.printf(Locale.ROOT, "%-40s %s%n", k, v);
            }
        });
        return 0;
    }
}
