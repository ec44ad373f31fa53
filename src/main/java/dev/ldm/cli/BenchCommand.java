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
                table(out, k, rows);
            } else if (!(v instanceof dev.ldm.model.DiTConfig)) {
                out.printf(Locale.ROOT, "%-40s %s%n", k, v);
            }
        });
        return 0;
    }

    /** A list of rows (maps with the same keys) as a table headed by its name and keys. */
    private static void table(java.io.PrintWriter out, String name, java.util.List<?> rows) {
        out.printf(Locale.ROOT, "%n%s%n", name);
        if (rows.isEmpty()) {
            return;
        }
        java.util.List<Integer> widths = new java.util.ArrayList<>();
        for (Object key : ((Map<?, ?>) rows.get(0)).keySet()) {
            widths.add(Math.max(10, key.toString().length() + 2));
            out.printf(Locale.ROOT, "%" + widths.get(widths.size() - 1) + "s", key);
        }
        out.println();
        for (Object o : rows) {
            int i = 0;
            for (Object cell : ((Map<?, ?>) o).values()) {
                out.printf(Locale.ROOT, "%" + widths.get(Math.min(i++, widths.size() - 1)) + "s",
                        cell instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : cell);
            }
            out.println();
        }
        out.println();
    }
}
