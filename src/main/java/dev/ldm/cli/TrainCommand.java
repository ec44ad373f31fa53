package dev.ldm.cli;

import dev.ldm.jobs.AlignTargets;
import dev.ldm.jobs.TrainJob;
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

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder (recursive); repeat "
            + "to train on several (e.g. a data set and its recoloured copies).")
    java.util.List<Path> data;

    @Option(names = "--out", required = true, description = "Model folder to write (dit/, model.json, checkpoint/).")
    Path out;

    @Option(names = "--vae", description = "Folder holding vae/, vae_encoder/, vae_decoder/ (default: --out if it has them, else models/default).")
    Path vae;

    @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this model folder's DiT weights "
            + "instead of a fresh initialisation (a warm start: the optimizer starts afresh; --resume continues a "
            + "checkpoint exactly instead). The run must build the same DiT (--preset, --patch, --size, "
            + "--text-length), or a deeper one (--depth); --vae defaults to the model's own autoencoder.")
    Path init;

    @Option(names = "--preset", defaultValue = "XS", description = "DiT size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--depth", description = "DiT blocks (default: the preset's). With --init a model with fewer "
            + "blocks is grown: its blocks come first and new ones are appended as identities (adaLN-Zero), so "
            + "training continues from what it draws.")
    Integer depth;

    @Option(names = "--patch", defaultValue = "2", description = "Patch size (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--size", defaultValue = "32", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--text-length", defaultValue = "16", description = "Text tokens (default: ${DEFAULT-VALUE}).")
    int textLength;

    @Mixin
    TrainingOptions training;

    @Option(names = "--align", paramLabel = "JUDGE_DIR", description = "Representation alignment (REPA): also train "
            + "the tokens after block --align-depth, through a small projector that is discarded at the end, towards "
            + "this judge's feature map of the clean image (a folder written by 'ldm eval classifier train').")
    Path align;

    @Option(names = "--align-weight", description = "Weight of the alignment term in the loss (with --align; "
            + "default: 0.5).")
    Double alignWeight;

    @Option(names = "--align-depth", description = "The DiT block (1-based) whose output is aligned (with --align; "
            + "default: 2).")
    Integer alignDepth;

    @Option(names = "--keep-every", defaultValue = "0", paramLabel = "N", description = "Also keep the checkpoint "
            + "of every N-th step, as checkpoints/dit/step-NNNNNNN.safetensors (a hard link where the file system "
            + "has them): the states a cool-down can be forked from later (--resume-from). A multiple of "
            + "--checkpoint-every; 0 keeps none (default: ${DEFAULT-VALUE}).")
    int keepEvery;

    @Option(names = "--resume-from", paramLabel = "CHECKPOINT", description = "Start --out's run from this "
            + "checkpoint of another run (a kept step-*.safetensors, or a checkpoints/dit folder) and continue it "
            + "exactly as --resume would, with this run's --steps and --cooldown: a fork that leaves the other run "
            + "as it is. Once --out has a checkpoint of its own, a re-run continues that one.")
    Path resumeFrom;

    @Option(names = "--cfg", defaultValue = "4.0", description = "Default guidance scale written into model.json.") double cfg;
    @Option(names = "--json", description = "Print the result as JSON.") boolean json;

    @Override
    public Integer call() {
        if (patch < 1 || patch > 64) {
            throw dev.ldm.LdmException.badInput("--patch must be between 1 and 64, not " + patch);
        }
        if (depth != null && (depth < 1 || depth > 64)) {
            throw dev.ldm.LdmException.badInput("--depth must be between 1 and 64, not " + depth);
        }
        if (size < 1 || size > 4096) {
            throw dev.ldm.LdmException.badInput("--size must be between 1 and 4096, not " + size);
        }
        if (align == null && (alignWeight != null || alignDepth != null)) {
            throw dev.ldm.LdmException.badInput("--align-weight and --align-depth need --align JUDGE_DIR");
        }
        TrainConfig config = training.config(TrainingOptions.Defaults.TRAIN, TrainingOptions.Defaults.TRAIN.lr());
        AlignTargets.Request alignment = align == null ? null
                : new AlignTargets.Request(align, alignWeight != null ? alignWeight : 0.5, alignDepth != null ? alignDepth : 2);
        TrainJob job = new TrainJob(data, out, vae, preset, depth, patch, size, textLength, config,
                new TrainJob.Checkpoints(training.resume, resumeFrom, keepEvery), training.fp16, cfg,
                training.samplePrompts, common.device(), alignment, init, training.cache);
        TrainJob.Outcome o;
        try (Progress.Steps events = Progress.steps(spec.commandLine().getErr(), "train", config.steps(),
                !json && Progress.interactive())) {
            o = job.run(events);
        }
        if (json) {
            spec.commandLine().getOut().println(dev.ldm.io.Json.pretty(o));
        } else {
            spec.commandLine().getOut().printf("trained %d steps in %.0f s; final loss %.4f; model written to %s%n",
                    o.steps(), o.seconds(), o.finalLoss(), out);
        }
        return 0;
    }
}
