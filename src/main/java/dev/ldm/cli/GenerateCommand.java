package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.DiTRuntime;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.Generator;
import dev.ldm.generate.Timings;
import dev.ldm.io.Json;
import dev.ldm.lora.LoraRef;
import dev.ldm.request.OutputWriter;
import dev.ldm.request.RenderPlan;
import dev.ldm.request.RequestField;
import dev.ldm.request.RequestOptions;
import dev.ldm.request.StoredSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ldm generate PROMPT}: text to PNG; also img2img and re-rendering from a PNG's settings. */
@Command(name = "generate", description = "Generate images from a prompt, an init image, or a PNG's settings.",
        mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
    /**
     * The generation settings {@code generate} and {@code batch} share (a picocli mixin). Every
     * option is null unless given, so explicit options can override stored or per-line ones.
     */
    public static final class Settings {
        @Option(names = "--negative", description = "Negative prompt (replaces the empty prompt in guidance).")
        String negative;

        @Option(names = "--steps", description = "Sampler steps (default: the model's).")
        Integer steps;

        @Option(names = "--cfg", description = "Guidance scale g (1 = none; default: the model's).")
        Double cfg;

        @Option(names = "--cfg-interval", paramLabel = "FROM,TO", description = "Guide only at times t in [FROM, TO]"
                + " (t = 1 is noise, 0 the image; elsewhere the prompt alone, at half the cost); for example 0.2,0.85"
                + " (default: the model's, else 0,1 = always).")
        String cfgInterval;

        @Option(names = "--n", description = "Images per prompt, rendered as one batch; image i uses seed + i "
                + "(default: 1).")
        Integer n;

        @Option(names = "--size", description = "Image side in pixels (default: the model's).")
        Integer size;

        @Option(names = "--sampler", description = "euler, heun, sde or sde:NOISE (default: the model's).")
        String sampler;

        @Option(names = "--shift", description = "Timestep shift s (default: the model's).")
        Double shift;

        @Option(names = "--init-image", paramLabel = "FILE",
                description = "img2img (SDEdit): start from this image instead of pure noise.")
        String initImage;

        @Option(names = "--strength", paramLabel = "S", description = "img2img: how much to change the init image,"
                + " 0 (keep: its VAE reconstruction) to 1 (ignore it) (default: 0.75).")
        Double strength;

        @Option(names = "--draft-strength", paramLabel = "S", description = "With a model that has a draft model"
                + " (a cascade): redraw the draft's upscaled image from time S in (0, 1]: near 0 keeps it, 1 draws"
                + " from pure noise, the draft unused (default: the model's).")
        Double draftStrength;

        @Option(names = "--draft-anchor", paramLabel = "F", description = "With a draft: keep the draft's layout,"
                + " the mean of every FxF block of latent cells, while the model redraws the rest from the draft"
                + " strength; 0 = none (default: the model's).")
        Integer draftAnchor;

        @Option(names = "--draft-colour", paramLabel = "kept|free|auto", description = "With a draft anchor: free"
                + " keeps the draft's layout only outside the model's colour plane, so the model that redraws chooses"
                + " the colour and colour words the draft cannot draw show (best with --draft-strength 0.99); auto"
                + " does so, from strength 0.99, only for images whose draft shows neither a hue the prompt names nor"
                + " a neighbour of it on the colour wheel; kept keeps every channel (default: the model's, else kept).")
        String draftColour;

        @Option(names = "--tag-guidance", paramLabel = "W", description = "More guidance toward the prompt's first"
                + " tag, the text before its first comma (\"fox\" of \"fox, noto style\"): v = v_u + g (v_c - v_u)"
                + " + W (v_tag - v_u), one more network pass per step; a prompt without a comma is drawn as"
                + " without it; 0 = none (default: the model's, else none).")
        Double tagGuidance;

        /** These options as request options (unset where not given). */
        public RequestOptions options() {
            return RequestOptions.NONE.set(RequestField.NEGATIVE, negative).set(RequestField.STEPS, steps)
                    .set(RequestField.CFG, cfg).with(RequestField.CFG_INTERVAL, cfgInterval).set(RequestField.N, n)
                    .set(RequestField.SIZE, size)
                    .set(RequestField.SAMPLER, sampler).set(RequestField.SHIFT, shift)
                    .set(RequestField.INIT_IMAGE, initImage).set(RequestField.STRENGTH, strength)
                    .set(RequestField.DRAFT_STRENGTH, draftStrength).set(RequestField.DRAFT_ANCHOR, draftAnchor)
                    .set(RequestField.DRAFT_COLOUR, draftColour).set(RequestField.TAG_GUIDANCE, tagGuidance);
        }
    }

    @Mixin
    CommonOptions common;

    @Mixin
    DiTRuntimeOption ditRuntime;

    @Mixin
    Settings settings;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROMPT",
            description = "What to draw (optional with --from-png).")
    String prompt;

    @Option(names = "--seed", description = "Seed of the first image (default: random, printed).")
    Long seed;

    @Option(names = "--from-png", paramLabel = "FILE", description = "Re-render from the settings stored in a PNG "
            + "(ldm's own, or AUTOMATIC1111 parameters), with the DiT runtime it records; options given here override them.")
    Path fromPng;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--out", defaultValue = "outputs", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the written files and settings as JSON.")
    boolean json;

    @Option(names = "--lora", paramLabel = "FILE[:WEIGHT]", description = "Merge a LoRA (from 'ldm finetune --lora')"
            + " into the model at load time with this strength (default 1); repeatable. A folder means its "
            + "lora.safetensors.")
    List<String> loras = new ArrayList<>();

    @Override
    public Integer call() {
        if (prompt == null && fromPng == null) {
            throw LdmException.badInput("missing PROMPT (or --from-png FILE)");
        }
        StoredSettings stored = fromPng == null ? null : StoredSettings.read(fromPng);
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
        RequestOptions explicit = settings.options().withPrompt(prompt).withSeed(seed);
        long randomSeed = new SecureRandom().nextLong() & 0xffffffffL;
        List<LoraRef> refs = loras.stream().map(LoraRef::parse).toList();
        dev.ldm.folder.ModelManifest.Defaults defaults = folder.manifest().defaults().forFineTuned(!refs.isEmpty());
        RenderPlan plan = stored == null ? RenderPlan.of(explicit, defaults, randomSeed)
                : RenderPlan.rerender(explicit, stored, defaults, randomSeed);
        boolean runtimeGiven = spec.commandLine().getParseResult().hasMatchedOption("--dit-runtime");
        DiTRuntime runtime = !runtimeGiven && stored != null && stored.ditRuntime() != null ? stored.ditRuntime()
                : ditRuntime.runtime();
        // The model's hash (its DiT weights, and a cascade's draft too; recorded in every PNG) while it loads.
        CompletableFuture<String> folderHash = CompletableFuture.supplyAsync(folder::modelHash);
        try (Generator gen = Generator.open(folder, common.device(), refs, runtime)) {
            String hash = LoraRef.modelHash(join(folderHash), refs);
            try {
                gen.latentSide(plan.request());
            } catch (LdmException e) {
                if (stored == null || stored.modelHash() == null || stored.modelHash().equals(hash)) {
                    throw e;
                }
                throw LdmException.badInput(e.getMessage() + "; " + stored.file().getFileName() + " was made with "
                        + Main.printable(stored.modelLabel()) + ": pass that model with --model", e);
            }
            String name = LoraRef.modelName(folder.name(), refs);
            noteModel(stored, name, hash);
            OutputWriter writer = new OutputWriter(out, name, hash, gen.ditRuntime());
            Timings[] timings = new Timings[1];
            List<GeneratedImage> images;
            boolean bar = !json && Progress.interactive();
            try (ProgressBar pb = bar ? Progress.bar("generate", plan.steps(), "step") : null) {
                StepListener listener = (done, total) -> {
                    if (firstStepMillis < 0) {
                        // process start → first denoising step done: JVM, natives, model load, text encoding
                        firstStepMillis = System.currentTimeMillis()
                                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                    }
                    if (pb != null) {
                        pb.stepTo(done);
                    }
                };
                images = plan.render(gen, listener, timings);
            }
            report(writer, images, timings[0]);
        }
        return 0;
    }

    /** The value of a task, with its own exception (not a CompletionException). */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** A re-render with another model than the PNG's cannot give the same pixels: say so. */
    private void noteModel(StoredSettings stored, String name, String hash) {
        if (stored != null && stored.modelHash() != null && !stored.modelHash().equals(hash)) {
            spec.commandLine().getErr().println("ldm: note: " + stored.file() + " was made with "
                    + Main.printable(stored.modelLabel()) + "; rendering with '" + name + "' (hash " + hash + "), so the image will"
                    + " differ");
        }
    }

    private void report(OutputWriter writer, List<GeneratedImage> images, Timings timings) {
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
            Map<String, Object> t = timingsMillis(timings);
            t.put("process_start_to_first_step", firstStepMillis);
            result.put("timings_ms", t);
            spec.commandLine().getOut().println(Json.pretty(result));
        }
    }

    private long firstStepMillis = -1;

    static Map<String, Object> timingsMillis(Timings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", t.text() / 1e6);
        m.put("denoise", t.denoise() / 1e6);
        m.put("dit", t.dit() / 1e6);
        m.put("decode", t.decode() / 1e6);
        m.put("nfe", t.nfe());
        if (t.draft() > 0) {
            m.put("draft", t.draft() / 1e6);
        }
        return m;
    }
}
