package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.eval.EvalReport;
import dev.ldm.eval.EvalSettings;
import dev.ldm.eval.EvalTable;
import dev.ldm.eval.ModelEvaluator;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.io.Json;
import dev.ldm.judge.ClassifierConfig;
import dev.ldm.judge.ClassifierInfo;
import dev.ldm.judge.ClassifierJob;
import dev.ldm.judge.ClassifierTrainConfig;
import dev.ldm.judge.ClassifierTrainer;
import dev.ldm.judge.LabelRule;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.lora.LoraRef;
import dev.ldm.metrics.Accuracy;
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

/**
 * {@code ldm eval}: judges a model with a classifier trained on real images (prompt accuracy, FID in
 * the classifier's feature space with its real-vs-real floor, VAE PSNR); {@code ldm eval classifier
 * train} makes that classifier.
 */
@Command(name = "eval", description = "Evaluate a model: prompt accuracy, FID and VAE PSNR, judged by a classifier "
        + "trained on real images ('ldm eval classifier train').", mixinStandardHelpOptions = true,
        subcommands = {EvalCommand.ClassifierCommand.class, StyleEvalCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = ModelFolder.DEFAULT, description = "Model folder (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--classifier", paramLabel = "DIR", description = "Judge folder from 'ldm eval classifier train'.")
    Path classifier;

    @Option(names = "--data", paramLabel = "DIR", description = "Real reference images with captions, held out "
            + "from training; repeat to read several folders as one set.")
    List<Path> data;

    @Option(names = "--prompts", paramLabel = "FILE", description = "Evaluation prompts, one per line, or a .jsonl file of {\"prompt\": ..., \"label\": ..., \"colour\": ...} objects for prompts whose class is not their text (colour: the colour word their images should show, checked on each image).")
    Path prompts;

    @Option(names = "--k", defaultValue = "4", description = "Images per prompt (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--steps", defaultValue = "30", description = "Sampler steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--cfg", description = "Guidance scale (default: the model's).")
    Double cfg;

    @Option(names = "--cfg-interval", paramLabel = "FROM,TO", description = "Guide only at times t in [FROM, TO] "
            + "(1 = noise; default: the model's).")
    String cfgInterval;

    @Option(names = "--sampler", description = "Sampler (default: the model's).")
    String sampler;

    @Option(names = "--shift", description = "Timestep shift (default: the model's).")
    Double shift;

    @Option(names = "--size", description = "Image side in pixels (default: the model's).")
    Integer size;

    @Option(names = "--draft-strength", paramLabel = "S", description = "With a cascade model: redraw the draft "
            + "from time S; 1 = no draft (default: the model's).")
    Double draftStrength;

    @Option(names = "--draft-anchor", paramLabel = "F", description = "With a draft: keep the mean of every FxF "
            + "block of the draft's latent cells; 0 = none (default: the model's).")
    Integer draftAnchor;

    @Option(names = "--draft-colour", paramLabel = "kept|free|auto", description = "With an anchor: free leaves "
            + "the model's colour plane to the model that redraws, auto does so where the draft misses a hue the "
            + "prompt names and its neighbours (default: the model's, else kept).")
    String draftColour;

    @Option(names = "--tag-guidance", paramLabel = "W", description = "More guidance toward each prompt's first tag,"
            + " the text before its first comma; 0 = none (default: the model's, else none).")
    Double tagGuidance;

    @Option(names = "--seed", defaultValue = "0", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lora", paramLabel = "FILE[:WEIGHT]", description = "Evaluate the model with this LoRA merged "
            + "(repeatable); the report goes beside the first LoRA unless --report says otherwise.")
    List<String> loras = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE", description = "Where to write the report (default: eval.json in "
            + "the model folder, or beside the first --lora).")
    Path reportFile;

    @Option(names = "--vae-round-trip", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure the autoencoder: PSNR and judge accuracy of the reference images after a VAE "
                    + "round trip. It does not depend on the DiT, so --no-vae-round-trip saves its time when a "
                    + "training run is evaluated at several steps on one autoencoder (default: ${DEFAULT-VALUE}).")
    boolean vaeRoundTrip;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        require(classifier, "--classifier");
        require(data, "--data");
        require(prompts, "--prompts");
        ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
        ModelManifest.Defaults d = folder.manifest().defaults().forFineTuned(!loras.isEmpty());
        EvalSettings settings = new EvalSettings(k, steps, cfg == null ? d.cfg() : cfg,
                sampler == null ? d.sampler() : sampler, shift == null ? d.shift() : shift,
                d.guidanceInterval(cfgInterval),
                size == null ? d.size() : size, seed, d, d.draftStrength(draftStrength), draftAnchor, draftColour,
                tagGuidance);
        PrintWriter err = spec.commandLine().getErr();
        EvalReport report;
        Path written;
        try (TrainedClassifier judge = TrainedClassifier.open(classifier)) {
            ModelEvaluator.Listener l = json ? ModelEvaluator.Listener.NONE : (done, total) -> {
                if (done == total || done % Math.max(1, total / 10) == 0) {
                    err.printf(Locale.ROOT, "eval: prompt %d/%d%n", done, total);
                }
            };
            List<LoraRef> refs = loras.stream().map(LoraRef::parse).toList();
            Path file = reportFile != null ? reportFile : ModelEvaluator.defaultReportFile(folder, refs);
            report = new ModelEvaluator(folder, common.device(), judge, data, prompts, settings, refs, file,
                    vaeRoundTrip)
                    .run(w -> err.println("ldm: warning: " + w), l);
            written = file;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.pretty(report) + "\n" : EvalTable.format(report));
        if (!json) {
            out.println("written to " + written);
        }
        out.flush();
        return 0;
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw LdmException.badInput("missing " + option + " (see 'ldm eval --help')");
        }
    }

    /** {@code ldm eval classifier ...}. */
    @Command(name = "classifier", description = "The judge: a small CNN trained on real images.",
            mixinStandardHelpOptions = true, subcommands = {Train.class})
    public static final class ClassifierCommand implements Runnable {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (train)");
        }
    }

    /** {@code ldm eval classifier train --data DIR --out DIR}. */
    @Command(name = "train", description = "Train the judge on a captioned image folder and report its held-out "
            + "accuracy (the ceiling of prompt accuracy).", mixinStandardHelpOptions = true)
    public static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, description = "Training images with .txt captions.") Path data;
        @Option(names = "--heldout", description = "Held-out real images for the ceiling (default: hold out "
                + "--holdout of --data per class).") Path heldout;
        @Option(names = "--holdout", defaultValue = "0.1", description = "Fraction held out per class without "
                + "--heldout (default: ${DEFAULT-VALUE}).") double holdout;
        @Option(names = "--out", required = true, description = "Classifier folder to write.") Path out;
        @Option(names = "--label", defaultValue = "caption", description = "caption (the whole caption is the "
                + "class) or concept (without ', <style> style') (default: ${DEFAULT-VALUE}).") String label;
        @Option(names = "--size", defaultValue = "32", description = "Input side in pixels (default: ${DEFAULT-VALUE}).") int size;
        @Option(names = "--widths", defaultValue = "32,64,128", description = "Channels per stage; the last is the "
                + "FID feature size (default: ${DEFAULT-VALUE}).") String widths;
        @Option(names = "--steps", defaultValue = "2000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--batch", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr;
        @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: "
                + "${DEFAULT-VALUE}).") double weightDecay;
        @Option(names = "--translate", defaultValue = "2", paramLabel = "PX", description = "Largest random "
                + "translation of a training image in pixels, an augmentation (default: ${DEFAULT-VALUE}).")
        int translate;
        @Option(names = "--hue", defaultValue = "0", paramLabel = "SHARE", description = "Share of training images "
                + "whose hue is turned by a random angle, an augmentation: the judge then names a concept in colours "
                + "it was never drawn in (default: ${DEFAULT-VALUE}).") double hue;
        @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, batches and "
                + "augmentation (default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = "--checkpoint-every", defaultValue = "500", description = "Steps between checkpoints "
                + "in OUT/checkpoints/classifier (default: ${DEFAULT-VALUE}).") int checkpointEvery;
        @Option(names = "--resume", description = "Continue from OUT's checkpoint (same data, --label, --size, "
                + "--widths, --batch, --translate, --hue and --seed; --steps may grow).") boolean resume;
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;

        @Override
        public Integer call() {
            ClassifierTrainConfig training = new ClassifierTrainConfig(steps, batch, lr, Math.min(warmup, steps),
                    weightDecay, translate, seed, hue);
            ClassifierJob job = new ClassifierJob(data, heldout, holdout, out, LabelRule.parse(label), size,
                    ClassifierConfig.parseWidths(widths), training, checkpointEvery, resume);
            PrintWriter err = spec.commandLine().getErr();
            ClassifierInfo info;
            try (Progress.Steps events = Progress.steps(err, "judge", steps, !json && Progress.interactive())) {
                ClassifierTrainer.Listener l = json ? ClassifierTrainer.Listener.NONE
                        : (step, total, loss, rate) -> events.step(step, total, loss, training.lrAt(step));
                info = job.run(events::warning, l);
            }
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.println(Json.pretty(info));
            } else {
                o.printf(Locale.ROOT, "classifier: %d classes, %d training images, %.0f s; written to %s%n",
                        info.classes().size(), info.trainImages(), info.seconds(), out);
                Accuracy.Figures c = info.ceiling();
                o.printf(Locale.ROOT, "ceiling (held-out real, %d images): top-1 %s, top-5 %s%s%n", c.scored(),
                        EvalTable.pct(c.top1()), EvalTable.pct(c.top5()),
                        c.unknown() > 0 ? " (" + c.unknown() + " with labels not among the classes)" : "");
                o.printf(Locale.ROOT, "training images: top-1 %s, top-5 %s%n", EvalTable.pct(info.trainAccuracy().top1()),
                        EvalTable.pct(info.trainAccuracy().top5()));
            }
            return 0;
        }
    }
}
