package dev.ldm.cli;

import dev.ldm.eval.EvalPrompt;
import dev.ldm.eval.EvalSettings;
import dev.ldm.eval.PromptList;
import dev.ldm.eval.StyleShift;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.image.Restyle;
import dev.ldm.io.Json;
import dev.ldm.lora.LoraRef;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm eval style}: how far fine-tuning moved a model towards a style ({@link StyleShift}). */
@Command(name = "style", description = "Measure how far a fine-tuned model (base + --lora, or --tuned) moved towards "
        + "a style on prompts of concepts its data did not show: the style's trait for the base model's images, "
        + "the tuned model's and real images in the style.", mixinStandardHelpOptions = true)
public final class StyleEvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Base model folder "
            + "(default: ${DEFAULT-VALUE}).") Path model;
    @Option(names = "--lora", paramLabel = "FILE[:WEIGHT]", description = "LoRA that makes the tuned model from the base "
            + "(repeatable).") List<String> loras = new ArrayList<>();
    @Option(names = "--tuned", paramLabel = "DIR", description = "A fully fine-tuned model folder (instead of --lora).")
    Path tuned;
    @Option(names = "--style", required = true, description = "outline, posterise or pixel (see 'ldm data restyle').")
    String style;
    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts both models draw, one "
            + "per line.") Path prompts;
    @Option(names = "--base-prompts", paramLabel = "FILE", description = "What the base model draws instead, line by "
            + "line (for example the prompts without the trigger word; default: --prompts).") Path basePrompts;
    @Option(names = "--real", required = true, paramLabel = "DIR", description = "Real images in the style, of the "
            + "prompts' concepts.") Path real;
    @Option(names = "--k", defaultValue = "4", description = "Images per prompt (default: ${DEFAULT-VALUE}).") int k;
    @Option(names = "--steps", defaultValue = "30", description = "Sampler steps (default: ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--cfg", description = "Guidance scale (default: the model's).") Double cfg;
    @Option(names = "--cfg-interval", paramLabel = "FROM,TO", description = "Guide only at times t in [FROM, TO] "
            + "(1 = noise; default: the model's).") String cfgInterval;
    @Option(names = "--seed", defaultValue = "0", description = "First seed (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--draft-strength", paramLabel = "S", description = "With a cascade model: redraw the draft "
            + "from time S in both models; 1 = no draft (default: the model's).") Double draftStrength;
    @Option(names = "--draft-anchor", paramLabel = "F", description = "With a draft: keep the mean of every FxF "
            + "block of the draft's latent cells; 0 = none (default: the model's).") Integer draftAnchor;
    @Option(names = "--json", description = "Print the report as JSON.") boolean json;

    @Override
    public Integer call() {
        ModelFolder base = ModelFolder.open(ModelFolder.locate(model));
        // base and tuned are drawn alike, as the tuned model is drawn
        ModelManifest.Defaults d = base.manifest().defaults().forFineTuned(!loras.isEmpty() || tuned != null);
        EvalSettings settings = new EvalSettings(k, steps, cfg == null ? d.cfg() : cfg, d.sampler(), d.shift(),
                d.guidanceInterval(cfgInterval), d.size(), seed, d, d.draftStrength(draftStrength), draftAnchor);
        List<String> lines = PromptList.read(prompts).stream().map(EvalPrompt::prompt).toList();
        PrintWriter err = spec.commandLine().getErr();
        StyleShift.Report r = new StyleShift(base, loras.stream().map(LoraRef::parse).toList(),
                tuned == null ? null : ModelFolder.open(ModelFolder.locate(tuned)), common.device(), Restyle.parse(style),
                lines, basePrompts == null ? lines : PromptList.read(basePrompts).stream().map(EvalPrompt::prompt).toList(),
                real, settings).run(done -> {
                    if (!json && done == lines.size()) {
                        err.printf(Locale.ROOT, "eval style: %d prompts drawn%n", done);
                    }
                });
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(r));
        } else {
            out.printf(Locale.ROOT, "%s trait: base %.4f, tuned %.4f, real %.4f; moved %.1f%% of the way (%d prompts x %d "
                    + "images, %d real images)%n", r.style(), r.base(), r.tuned(), r.real(), 100 * r.moved(), r.prompts(),
                    k, r.realImages());
        }
        return 0;
    }
}
