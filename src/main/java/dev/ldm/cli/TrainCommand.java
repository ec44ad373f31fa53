package dev.ldm.cli;

import dev.ldm.pipeline.TrainJob;
import dev.ldm.train.TrainConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm train --data DIR --out MODEL_DIR}: trains a DiT on a captioned image folder. */
@Command(name = "train", description = "Train a DiT on an image folder (captions in same-name .txt files).",
        mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "Image folder (recursive).")
    Path data;

    @Option(names = "--out", required = true, description = "Model folder to write (dit/, model.json, checkpoint/).")
    Path out;

    @Option(names = "--vae", description = "Folder holding vae/, vae_encoder/, vae_decoder/ (default: --out if it has them, else models/default).")
    Path vae;

    @Option(names = "--preset", defaultValue = "XS", description = "DiT size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--patch", defaultValue = "2", description = "Patch size (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--size", defaultValue = "32", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--text-length", defaultValue = "16", description = "Text tokens (default: ${DEFAULT-VALUE}).")
    int textLength;

    @Option(names = "--steps", defaultValue = "2000") int steps;
    @Option(names = "--batch", defaultValue = "32") int batch;
    @Option(names = "--lr", defaultValue = "3e-4") double lr;
    @Option(names = "--warmup", defaultValue = "200") int warmup;
    @Option(names = "--weight-decay", defaultValue = "0") double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0") double clip;
    @Option(names = "--ema", defaultValue = "0.999") double ema;
    @Option(names = "--caption-dropout", defaultValue = "0.1") double captionDropout;
    @Option(names = "--tag-dropout", defaultValue = "0", description = "Probability of training on a caption's first "
            + "tag alone (text before the first comma) (default: ${DEFAULT-VALUE}).") double tagDropout;
    @Option(names = "--timesteps", defaultValue = "logit-normal", description = "logit-normal[:m,s] or uniform.") String timesteps;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--checkpoint-every", defaultValue = "250") int checkpointEvery;
    @Option(names = "--sample-every", defaultValue = "500", description = "Steps between sample grids (0 = never).") int sampleEvery;
    @Option(names = "--sample-prompts", split = ",", description = "Prompts of the sample grid (comma-separated).")
    java.util.List<String> samplePrompts;
    @Option(names = "--resume", description = "Continue from OUT/checkpoint exactly where it stopped.") boolean resume;
    @Option(names = "--fp16", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Store the final DiT weights as fp16 (default: ${DEFAULT-VALUE}).") boolean fp16;
    @Option(names = "--cfg", defaultValue = "4.0", description = "Default guidance scale written into model.json.") double cfg;
    @Option(names = "--json", description = "Print the result as JSON.") boolean json;

    @Override
    public Integer call() {
        if (patch < 1 || patch > 64) {
            throw dev.ldm.LdmException.badInput("--patch must be between 1 and 64, not " + patch);
        }
        if (size < 1 || size > 4096) {
            throw dev.ldm.LdmException.badInput("--size must be between 1 and 4096, not " + size);
        }
        TrainConfig config = new TrainConfig(steps, batch, lr, warmup, weightDecay, clip, ema, captionDropout, tagDropout,
                timesteps, seed, checkpointEvery, sampleEvery);
        TrainJob job = new TrainJob(data, out, vae, preset, patch, size, textLength, config, resume, fp16, cfg,
                samplePrompts, common.device());
        TrainJob.Outcome o = job.run(spec.commandLine().getOut(), spec.commandLine().getErr(), !json && Progress.interactive());
        if (json) {
            spec.commandLine().getOut().println(dev.ldm.io.Json.pretty(o));
        } else {
            spec.commandLine().getOut().printf("trained %d steps in %.0f s; final loss %.4f; model written to %s%n",
                    o.steps(), o.seconds(), o.finalLoss(), out);
        }
        return 0;
    }
}
