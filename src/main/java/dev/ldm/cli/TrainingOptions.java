package dev.ldm.cli;

import dev.ldm.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training options that {@code train} and {@code finetune} share, with one meaning and one
 * syntax in both. Defaults differ by command (a fine-tune is shorter, smaller and slower to forget),
 * so each option is unset here and the command supplies its defaults ({@link Defaults}).
 */
public final class TrainingOptions {
    /**
     * The defaults of one command. A LoRA fine-tune takes fewer steps: measured by the style study in docs/RESEARCH.md,
     * 250 steps move unseen concepts as far towards a new style as 500 do. Its rate, 1e-4 (diffusers' LoRA
     * default too), was chosen on the shipped cascade, whose two stages are both tuned: it moves them 85% of the
     * way and keeps old prompts within 4.3 points of top-1 and top-5, where 3e-4 moved them 88% and lost 6.1.
     */
    public record Defaults(int steps, int batch, double lr, int warmup, double ema, int checkpointEvery,
            int sampleEvery) {
        static final Defaults TRAIN = new Defaults(2000, 32, 3e-4, 200, 0.999, 250, 500);
        static final Defaults FINETUNE = new Defaults(500, 8, 1e-4, 20, 0.99, 100, 100);
        static final Defaults LORA = new Defaults(250, 8, 1e-4, 20, 0.99, 100, 100);
    }

    @Option(names = "--steps", description = "Optimizer steps (train: 2000, finetune: 500, finetune --lora: 250).")
    Integer steps;

    @Option(names = "--batch", description = "Images per step (train: 32, finetune: 8).")
    Integer batch;

    @Option(names = "--lr", description = "Peak learning rate, reached after the warm-up (train: 3e-4; finetune: "
            + "1e-4, with --lora too).")
    Double lr;

    @Option(names = "--warmup", description = "Steps of linear learning-rate warm-up (train: 200, finetune: 20).")
    Integer warmup;

    @Option(names = "--cooldown", defaultValue = "0", description = "Last steps over which the learning rate falls "
            + "linearly to zero (0 = constant after the warm-up). Train in stages at a constant rate with --resume, "
            + "then finish by resuming with more --steps and a --cooldown, in place or, for train, in a fork of a "
            + "kept checkpoint (--keep-every, --resume-from) while the run goes on (default: ${DEFAULT-VALUE}).")
    int cooldown;

    @Option(names = "--weight-decay", defaultValue = "0",
            description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip", defaultValue = "1.0",
            description = "Clip the global gradient norm to this (0 = off; default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--ema", description = "Decay of the exponential moving average of the weights, which are "
            + "the weights written (train: 0.999, finetune: 0.99); step s uses min(decay, (1 + s) / (10 + s)), so "
            + "a short run does not keep its initial weights.")
    Double ema;

    @Option(names = "--caption-dropout", defaultValue = "0.1", description = "Share of samples trained on the "
            + "empty prompt, which classifier-free guidance needs (default: ${DEFAULT-VALUE}).")
    double captionDropout;

    @Option(names = "--tag-dropout", defaultValue = "0", description = "Share of samples trained on their caption's "
            + "first tag alone (the text before the first comma) (default: ${DEFAULT-VALUE}).")
    double tagDropout;

    @Option(names = "--timesteps", defaultValue = "logit-normal",
            description = "Training timestep distribution: logit-normal[:m,s] or uniform (default: ${DEFAULT-VALUE}).")
    String timesteps;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of every random stream of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (train: 250, finetune: 100).")
    Integer checkpointEvery;

    @Option(names = "--sample-every", description = "Steps between sample grids, 0 = never (train: 500, "
            + "finetune: 100).")
    Integer sampleEvery;

    @Option(names = "--sample-prompts", split = "\\|", splitSynopsisLabel = "|", paramLabel = "PROMPT",
            description = "Prompts of the sample grids, separated by | (captions hold commas; default: the first "
                    + "distinct training captions).")
    List<String> samplePrompts;

    @Option(names = "--cache", paramLabel = "DIR", description = "Latent cache folder, to share the encoded data "
            + "between runs, e.g. a fork and the run it came from (default: OUT/cache).")
    Path cache;

    @Option(names = "--resume", description = "Continue from the output folder's checkpoint exactly where it stopped.")
    boolean resume;

    @Option(names = "--fp16", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Store the DiT weights written as fp16 (default: ${DEFAULT-VALUE}).")
    boolean fp16;

    /** The run's settings: what was given, else {@code d}'s defaults ({@code lr} decided by the caller). */
    TrainConfig config(Defaults d, double defaultLr) {
        int total = or(steps, d.steps());
        return new TrainConfig(total, or(batch, d.batch()), lr != null ? lr : defaultLr, or(warmup, d.warmup()),
                weightDecay, clip, ema != null ? ema : d.ema(), captionDropout, tagDropout, timesteps, seed,
                or(checkpointEvery, d.checkpointEvery()), or(sampleEvery, d.sampleEvery()), cooldown);
    }

    private static int or(Integer given, int fallback) {
        return given != null ? given : fallback;
    }
}
