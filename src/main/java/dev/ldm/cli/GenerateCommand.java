package dev.ldm.cli;

import dev.ldm.flow.StepListener;
import dev.ldm.io.Json;
import dev.ldm.pipeline.GenerateRequest;
import dev.ldm.pipeline.GeneratedImage;
import dev.ldm.pipeline.Generator;
import dev.ldm.pipeline.ModelFolder;
import dev.ldm.pipeline.ModelManifest;
import dev.ldm.pipeline.OutputWriter;
import dev.ldm.pipeline.Timings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ldm generate PROMPT}: text to PNG. */
@Command(name = "generate", description = "Generate images from a prompt.", mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "What to draw.")
    String prompt;

    @Option(names = "--negative", defaultValue = "", description = "Negative prompt (replaces the empty prompt in guidance).")
    String negative;

    @Option(names = "--steps", defaultValue = "30", description = "Sampler steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--cfg", description = "Guidance scale g (1 = none; default: the model's).")
    Double cfg;

    @Option(names = "--seed", description = "Seed of the first image (default: random, printed).")
    Long seed;

    @Option(names = "--n", defaultValue = "1", description = "Images for this prompt, rendered as one batch.")
    int n;

    @Option(names = "--size", description = "Image side in pixels (default: the model's).")
    Integer size;

    @Option(names = "--sampler", description = "euler, heun or sde (default: the model's).")
    String sampler;

    @Option(names = "--shift", description = "Timestep shift s (default: the model's).")
    Double shift;

    @Option(names = "--model", defaultValue = "models/default", description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--out", defaultValue = "outputs", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the written files and settings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
        ModelManifest.Defaults d = folder.manifest().defaults();
        long firstSeed = seed != null ? seed : new SecureRandom().nextLong() & 0xffffffffL;
        GenerateRequest request = new GenerateRequest(prompt, negative, steps, cfg != null ? cfg : d.cfg(), firstSeed, n,
                size != null ? size : d.size(), sampler != null ? sampler : d.sampler(), shift != null ? shift : d.shift());
        dev.ldm.flow.Samplers.byName(request.sampler()); // fail fast on a bad name
        try (Generator gen = Generator.open(folder, common.device())) {
            gen.latentSide(request.size());
            OutputWriter writer = new OutputWriter(out, folder.name(), folder.hash());
            Timings[] timings = new Timings[1];
            List<GeneratedImage> images;
            boolean bar = !json && Progress.interactive();
            try (ProgressBar pb = bar ? Progress.bar("generate", request.steps(), "step") : null) {
                StepListener listener = pb == null ? StepListener.NONE : (done, total) -> pb.stepTo(done);
                images = gen.generate(request, listener, timings);
            }
            List<Map<String, Object>> written = new ArrayList<>();
            for (GeneratedImage img : images) {
                Path file = writer.write(img);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", file.toString());
                entry.put("request", img.request());
                written.add(entry);
                if (!json) {
                    spec.commandLine().getOut().println(file + "  (seed " + img.request().seed() + ")");
                }
            }
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("images", written);
                result.put("timings_ms", timingsMillis(timings[0]));
                spec.commandLine().getOut().println(Json.pretty(result));
            }
        }
        return 0;
    }

    static Map<String, Object> timingsMillis(Timings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", t.text() / 1e6);
        m.put("denoise", t.denoise() / 1e6);
        m.put("dit", t.dit() / 1e6);
        m.put("decode", t.decode() / 1e6);
        m.put("nfe", t.nfe());
        return m;
    }
}
