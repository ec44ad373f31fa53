package dev.ldm.cli;

import dev.ldm.io.Json;
import dev.ldm.lora.LoraConfig;
import dev.ldm.pipeline.FinetuneJob;
import dev.ldm.train.TrainConfig;
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
            + "adapters on the attention projections, written as OUT/lora.safetensors."})
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

    @Option(names = "--cache", paramLabel = "DIR", description = "Latent cache folder, to share the encoded data "
            + "between runs (default: OUT/cache).")
    Path cache;

    @Option(names = "--steps", defaultValue = "500", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "8", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", description = "Peak learning rate (default: 1e-4 full, 1e-3 LoRA).") Double lr;
    @Option(names = "--warmup", defaultValue = "20") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0") double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0") double clip;
    @Option(names = "--ema", defaultValue = "0.99",
            description = "EMA decay of the weights written (default: ${DEFAULT-VALUE}).") double ema;
    @Option(names = "--caption-dropout", defaultValue = "0.1",
            description = "Share of steps' samples trained on the empty prompt (default: ${DEFAULT-VALUE}).")
    double captionDropout;
    @Option(names = "--tag-dropout", defaultValue = "0", description = "Probability of training on a caption's first "
            + "tag alone (text before the first comma) (default: ${DEFAULT-VALUE}).")
    double tagDropout;
    @Option(names = "--timesteps", defaultValue = "logit-normal",
            description = "logit-normal[:m,s] or uniform.") String timesteps;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--checkpoint-every", defaultValue = "100",
            description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).") int checkpointEvery;
    @Option(names = "--sample-every", defaultValue = "100",
            description = "Steps between sample grids (0 = never).") int sampleEvery;
    @Option(names = "--sample-prompts", split = "\\|", splitSynopsisLabel = "|", paramLabel = "PROMPT",
            description = "Prompts of the sample grid, separated by | (captions hold commas).")
    List<String> samplePrompts;
    @Option(names = "--resume", description = "Continue from OUT's checkpoint exactly where it stopped.")
    boolean resume;
    @Option(names = "--fp16", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Full fine-tune: store the DiT weights as fp16 (default: ${DEFAULT-VALUE}).") boolean fp16;
    @Option(names = "--json", description = "Print the result as JSON.") boolean json;

    @Override
    public Integer call() {
        LoraConfig lora = loraRank == null ? null : LoraConfig.of(loraRank, loraAlpha, loraMlp);
        if (lora == null && (loraAlpha != null || loraMlp)) {
            throw dev.ldm.LdmException.badInput("--lora-alpha and --lora-mlp need --lora RANK");
        }
        double rate = lr != null ? lr : lora == null ? 1e-4 : 1e-3;
        TrainConfig config = new TrainConfig(steps, batch, rate, warmup, weightDecay, clip, ema, captionDropout,
                tagDropout, timesteps, seed, checkpointEvery, sampleEvery);
        FinetuneJob job = new FinetuneJob(new FinetuneJob.Settings(from, data, out, captionExt, trigger, lora, config,
                resume, fp16, samplePrompts, cache, common.device()));
        FinetuneJob.Outcome o = job.run(spec.commandLine().getErr(), !json && Progress.interactive());
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(o));
        } else {
            spec.commandLine().getOut().printf("fine-tuned (%s) %d steps in %.0f s; final loss %.4f; written to %s%n",
                    o.mode(), o.steps(), o.seconds(), o.finalLoss(), o.output());
        }
        return 0;
    }
}
