package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.eval.EvalPrompt;
import dev.ldm.eval.PromptList;
import dev.ldm.folder.ModelFolder;
import dev.ldm.io.Json;
import dev.ldm.jobs.FinetuneJob;
import dev.ldm.lora.LoraConfig;
import dev.ldm.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ldm finetune --from MODEL_DIR --data DIR --out DIR}: continues training a model's DiT on a
 * custom image folder, fully (a new model folder) or as LoRA adapters ({@code --lora RANK}: a small
 * {@code OUT/lora.safetensors} for {@code generate --lora}).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a model's DiT on an image folder: captions in same-name .txt files (or "
            + "--caption-ext), folders named N_name repeat their images N times, --trigger WORD is prepended to "
            + "every caption.",
            "Without --lora: a full fine-tune written as a complete model folder in --out. With --lora RANK: LoRA "
            + "adapters on the attention projections, written as OUT/lora.safetensors.",
            "A cascade (a model with a draft model) is fine-tuned in two stages, its draft model first (into "
            + "OUT/draft), unless --keep-draft."})
public final class FinetuneCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true,
            description = "Base model folder (its VAE and text encoder stay frozen).")
    Path from;

    @Option(names = "--data", required = true, description = "Image folder (recursive).")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder: the new model folder, or the folder "
            + "of lora.safetensors; also holds checkpoints/, samples/, cache/ and finetune.json.")
    Path out;

    @Option(names = "--lora", paramLabel = "RANK",
            description = "Train LoRA adapters of this rank instead of every weight.")
    Integer loraRank;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha; updates are scaled by A/RANK "
            + "(default: RANK, a scale of 1).")
    Double loraAlpha;

    @Option(names = "--lora-mlp", description = "Adapt the MLP layers too, not only the attention projections.")
    boolean loraMlp;

    @Option(names = "--trigger", paramLabel = "WORD", description = "Prepended to every caption as 'WORD, caption'.")
    String trigger;

    @Option(names = "--caption-ext", defaultValue = "txt",
            description = "Caption file extension (default: ${DEFAULT-VALUE}).")
    String captionExt;

    @Option(names = "--prior-prompts", paramLabel = "FILE", description = "Prior preservation: the base model draws "
            + "these prompts (one per line) into OUT/prior, and fine-tuning trains on those images beside yours, so that "
            + "old prompts keep drawing what they drew (default: the base model folder's " + ModelFolder.PRIOR_PROMPTS
            + ", if it has one).")
    Path priorPrompts;

    @Option(names = "--no-prior", description = "No prior preservation: train on your images alone.")
    boolean noPrior;

    @Option(names = "--prior-per-prompt", defaultValue = "1", paramLabel = "K", description = "Images drawn per prior "
            + "prompt (default: ${DEFAULT-VALUE}).")
    int priorPerPrompt;

    @Option(names = "--keep-draft", description = "For a cascade: fine-tune its DiT only and keep its draft model "
            + "as it is (a new style then shows only with a high --draft-strength).")
    boolean keepDraft;

    @Mixin
    TrainingOptions training;

    @Option(names = "--json", description = "Print the result as JSON.") boolean json;

    @Override
    public Integer call() {
        LoraConfig lora = loraRank == null ? null : LoraConfig.of(loraRank, loraAlpha, loraMlp);
        if (lora == null && (loraAlpha != null || loraMlp)) {
            throw LdmException.badInput("--lora-alpha and --lora-mlp need --lora RANK");
        }
        TrainingOptions.Defaults d = lora == null ? TrainingOptions.Defaults.FINETUNE : TrainingOptions.Defaults.LORA;
        TrainConfig config = training.config(d, d.lr());
        FinetuneJob job = new FinetuneJob(new FinetuneJob.Settings(from, data, out, captionExt, trigger, lora, config,
                training.resume, training.fp16, training.samplePrompts, training.cache, common.device(),
                prior(), priorPerPrompt, keepDraft));
        boolean cascade = ModelFolder.open(ModelFolder.locate(from)).manifest().draft() != null;
        if (keepDraft && !cascade) {
            throw LdmException.badInput("--keep-draft: " + from + " has no draft model");
        }
        int stages = cascade && !keepDraft ? 2 : 1; // the job numbers a cascade's steps 1 to 2 x steps
        if (stages == 2) {
            spec.commandLine().getErr().printf("ldm: a cascade: its draft model first (steps 1-%d), then its DiT "
                    + "(steps %d-%d); --keep-draft tunes the DiT alone%n", config.steps(), config.steps() + 1,
                    2 * config.steps());
        }
        FinetuneJob.Outcome o;
        try (Progress.Steps events = Progress.steps(spec.commandLine().getErr(), "finetune", stages * config.steps(),
                !json && Progress.interactive())) {
            o = job.run(events);
        }
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(o));
        } else {
            if (o.draft() != null) {
                FinetuneJob.Outcome dr = o.draft();
                spec.commandLine().getOut().printf("draft model fine-tuned (%s) %d steps in %.0f s; final loss %.4f%n",
                        dr.mode(), dr.steps(), dr.seconds(), dr.finalLoss());
            }
            spec.commandLine().getOut().printf("fine-tuned (%s) %d steps in %.0f s; final loss %.4f; written to %s%n",
                    o.mode(), o.steps(), o.seconds(), o.finalLoss(), o.output());
        }
        return 0;
    }

    /**
     * The prior-preservation prompts: --prior-prompts, else the base model's own list unless --no-prior (the
     * style study in docs/RESEARCH.md: without them a LoRA leaks the new style into old prompts). The reader refuses a
     * file without prompts.
     */
    private List<String> prior() {
        if (priorPrompts != null && noPrior) {
            throw LdmException.badInput("--no-prior and --prior-prompts contradict each other; give one");
        }
        Path file = priorPrompts;
        if (file == null && !noPrior) {
            Path own = ModelFolder.locate(from).resolve(ModelFolder.PRIOR_PROMPTS);
            file = Files.isRegularFile(own) ? own : null;
        }
        if (file == null) {
            return List.of();
        }
        List<String> prompts = PromptList.read(file).stream().map(EvalPrompt::prompt).toList();
        if (priorPrompts == null) {
            spec.commandLine().getErr().println("ldm: prior preservation with the " + prompts.size() + " prompts of "
                    + file + " (--no-prior turns it off)");
        }
        return prompts;
    }
}
