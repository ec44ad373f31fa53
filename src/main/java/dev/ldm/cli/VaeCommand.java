package dev.ldm.cli;

import dev.ldm.eval.AutoencoderEvaluator;
import dev.ldm.eval.AutoencoderReport;
import dev.ldm.eval.ColourPlaneMeasure;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.folder.VaeParts;
import dev.ldm.io.Json;
import dev.ldm.judge.TrainedClassifier;
import dev.ldm.jobs.JobEvents;
import dev.ldm.jobs.VaeJob;
import dev.ldm.vae.VaeConfig;
import dev.ldm.vae.VaeTrainConfig;
import dev.ldm.vae.VaeTrainResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm vae ...}: ldm's own autoencoder. */
@Command(name = "vae", description = "Train ldm's own autoencoder, export it to ONNX and measure it.", mixinStandardHelpOptions = true,
        subcommands = {VaeCommand.Train.class, VaeCommand.Eval.class, VaeCommand.ColourPlaneCommand.class})
public final class VaeCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (train, eval or colour-plane)");
    }

    /** {@code ldm vae train --data DIR --out DIR}. */
    @Command(name = "train", description = "Train the VAE on an image folder; writes vae_encoder/, vae_decoder/, vae/.",
            mixinStandardHelpOptions = true)
    public static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, description = "Image folder (recursive).") Path data;
        @Option(names = "--out", required = true, description = "Folder to write vae/, vae_encoder/, vae_decoder/ "
                + "and checkpoints/ into (a model folder's VAE parts).") Path out;
        @Option(names = "--preset", description = "tiny, f4, f8 or f8s (default: f4; with --init, the architecture is "
                + "the init's).") String preset;
        @Option(names = "--size", defaultValue = "32", description = "Image side in pixels, a multiple of the "
                + "VAE factor (default: ${DEFAULT-VALUE}).") int size;
        @Option(names = "--steps", defaultValue = "1500", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--batch", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr;
        @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
        int warmup;
        @Option(names = "--latent-channels", paramLabel = "C", description = "Latent channels (default: the "
                + "preset's, 4).") Integer latentChannels;
        @Option(names = "--eval-every", defaultValue = "0", description = "Steps between held-out PSNR "
                + "measurements printed during training, 0 = only at the end (default: ${DEFAULT-VALUE}).")
        int evalEvery;
        @Option(names = "--cooldown", defaultValue = "0", description = "Last steps over which the learning rate "
                + "falls linearly to zero (0 = constant after the warm-up). Train in stages at a constant rate with "
                + "--resume, then finish with a cool-down; keep a copy of the checkpoint from before it to extend "
                + "the run later (default: ${DEFAULT-VALUE}).") int cooldown;
        @Option(names = "--kl", defaultValue = "1e-6", description = "KL weight.") double kl;
        @Option(names = "--loss", defaultValue = "mse", description = "mse or l1.") String loss;
        @Option(names = "--holdout", defaultValue = "0.05", description = "Fraction of images held out for PSNR.") double holdout;
        @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, batches, noise and the "
                + "held-out split (default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = "--checkpoint-every", defaultValue = "250", description = "Steps between checkpoints "
                + "(default: ${DEFAULT-VALUE}).") int checkpointEvery;
        @Option(names = "--resume", description = "Continue from OUT's checkpoint exactly where it stopped.")
        boolean resume;
        @Option(names = "--init", paramLabel = "DIR", description = "Start from this trained autoencoder (what 'ldm "
                + "vae train' writes: vae/config.json with vae/weights.safetensors or checkpoints/vae) instead of a fresh "
                + "initialisation; its architecture is used. Steps count from 0 again.") Path init;
        @Option(names = "--decoder-only", description = "With --init: train only the decoder. The encoder and the "
                + "latent scale and shift stay exactly the init's, so the new decoder can replace the old one under a "
                + "diffusion model trained on its latents.") boolean decoderOnly;
        @Option(names = "--ssim-weight", paramLabel = "W", defaultValue = "0", description = "Add W·(1 − MS-SSIM) on "
                + "images in [0, 1] to the reconstruction loss (default: ${DEFAULT-VALUE}, off).") double ssimWeight;
        @Option(names = "--gan-weight", paramLabel = "W", defaultValue = "0", description = "Add a patch "
                + "discriminator's hinge loss, scaled by LDM's adaptive weight times W (default: ${DEFAULT-VALUE}, "
                + "off; LDM uses 0.5).") double ganWeight;
        @Option(names = "--gan-start", paramLabel = "N", defaultValue = "0", description = "Steps before the "
                + "adversarial term and the discriminator's training start, once the reconstruction has converged "
                + "(default: ${DEFAULT-VALUE}).") int ganStart;
        @Option(names = "--json", description = "Print the result as JSON.") boolean json;

        @Override
        public Integer call() {
            VaeTrainConfig config = new VaeTrainConfig(steps, batch, lr, warmup, kl, loss, 0.0, 1.0, seed,
                    checkpointEvery, evalEvery, cooldown)
                    .withInit(init == null ? null : init.toString(), decoderOnly)
                    .withTerms(ssimWeight, ganWeight, ganStart);
            VaeConfig model;
            if (init != null) {
                if (preset != null || latentChannels != null) {
                    throw dev.ldm.LdmException.badInput("--preset and --latent-channels do not go with --init "
                            + "(the architecture is the init's)");
                }
                model = dev.ldm.vae.VaeInfo.read(init).architecture();
            } else {
                VaeConfig p = VaeConfig.preset(preset == null ? "f4" : preset);
                model = latentChannels == null ? p : new VaeConfig(p.imageChannels(), latentChannels,
                        p.baseChannels(), p.channelMultipliers(), p.resBlocksPerLevel());
            }
            VaeJob job = new VaeJob(data, out, model, size, holdout, config, resume);
            VaeJob.Outcome o;
            try (Progress.Steps events = Progress.steps(spec.commandLine().getErr(), "vae", steps,
                    !json && Progress.interactive())) {
                o = job.run(json ? quiet(events) : events);
            }
            VaeTrainResult r = o.result();
            if (json) {
                spec.commandLine().getOut().println(Json.pretty(r));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "VAE trained %d steps; held-out PSNR %.2f dB on %d images; scale %.4f shift %.4f; written to %s%n",
                        r.steps(), r.psnr(), o.heldOut(), r.scale(), r.shift(), out);
            }
            return 0;
        }

        /** With --json: warnings still reach stderr, step lines do not. */
        private static JobEvents quiet(JobEvents events) {
            return new JobEvents() {
                @Override
                public void warning(String message) {
                    events.warning(message);
                }

                @Override
                public void step(long step, long total, double loss, double lr) {}

                @Override
                public void evaluated(long step, String measure, double value) {}
            };
        }
    }

    /** {@code ldm vae eval --vae DIR --data DIR}. */
    @Command(name = "eval", description = "Measure an autoencoder's round trip on images it did not train on: PSNR "
            + "(mean, median, 10th percentile, per sub-folder, worst images), SSIM and, with --judge, the judge's "
            + "accuracy on originals and reconstructions and the rFID (Frechet distance of the judge's features of "
            + "reconstructions and originals).", mixinStandardHelpOptions = true)
    public static final class Eval implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--vae", required = true, paramLabel = "DIR", description = "The autoencoder: a model folder "
                + "or what 'ldm vae train' writes.") Path vae;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder (recursive); "
                + "sub-folders are reported apart (see --depth).") Path data;
        @Option(names = "--size", required = true, description = "Image side in pixels, a multiple of the VAE factor.")
        int size;
        @Option(names = "--judge", paramLabel = "DIR", description = "Classifier folder: also report its accuracy on "
                + "the originals and on the reconstructions.") Path judge;
        @Option(names = "--depth", defaultValue = "1", description = "Folder levels that name a group in the report "
                + "(default: ${DEFAULT-VALUE}; 2 reports heldout/style/noto as style/noto).") int depth;
        @Option(names = "--worst", defaultValue = "5", description = "Worst images listed (default: ${DEFAULT-VALUE}).")
        int worst;
        @Option(names = "--json", description = "Print the report as JSON.") boolean json;

        @Override
        public Integer call() {
            if (worst < 0 || worst > 1000) {
                throw dev.ldm.LdmException.badInput("--worst must be 0 to 1000, not " + worst);
            }
            VaeParts parts = VaeParts.find(vae);
            java.io.PrintWriter err = spec.commandLine().getErr();
            AutoencoderReport r;
            try (TrainedClassifier j = judge == null ? null : TrainedClassifier.open(judge)) {
                r = new AutoencoderEvaluator(parts, common.device(), data, size, j, worst, depth)
                        .run(m -> err.println("warning: " + m));
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.pretty(r));
                return 0;
            }
            out.printf(Locale.ROOT, "%d images at %d px: PSNR mean %.2f dB, median %.2f, 10th percentile %.2f, "
                    + "worst %.2f; SSIM mean %.4f%n", r.images(), r.size(), r.psnrMean(), r.psnrMedian(), r.psnrP10(),
                    r.psnrMin(), r.ssimMean());
            r.folders().forEach((k, g) -> out.printf(Locale.ROOT, "  %-20s %6d images  %.2f dB  SSIM %.4f%n", k,
                    g.images(), g.psnr(), g.ssim()));
            for (AutoencoderReport.Image i : r.worst()) {
                out.printf(Locale.ROOT, "  worst: %s %.2f dB%n", i.file(), i.psnr());
            }
            if (r.judge() != null) {
                out.printf(Locale.ROOT, "judge: originals %s; reconstructions %s; rFID %.3f%n",
                        figures(r.judge().originals()), figures(r.judge().reconstructions()), r.judge().rfid());
            }
            return 0;
        }

        private static String figures(dev.ldm.metrics.Accuracy.Figures f) {
            return f.top1() == null ? "no image with a known label (" + f.unknown() + " unknown)"
                    : String.format(Locale.ROOT, "top-1 %.3f, top-5 %.3f on %d images", f.top1(), f.top5(), f.scored());
        }
    }

    /** {@code ldm vae colour-plane --model DIR --data DIR}: the latent directions a recolouring moves. */
    @Command(name = "colour-plane", description = "Measure which directions of the latent channels carry colour "
            + "(images against hue-turned copies) and store them in the model's model.json as vae.colourPlane, "
            + "which --draft-colour free leaves to the model that redraws the draft.", mixinStandardHelpOptions = true)
    public static final class ColourPlaneCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model folder whose "
                + "autoencoder is measured and whose model.json gets the plane.") Path model;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder (recursive).")
        Path data;
        @Option(names = "--size", description = "Image side in pixels (default: the model's).") Integer size;
        @Option(names = "--images", defaultValue = "600", description = "Images used, each with a hue-turned copy "
                + "(default: ${DEFAULT-VALUE}).") int images;
        @Option(names = "--block", paramLabel = "F", description = "Side of the blocks of latent cells compared "
                + "(default: the model's draft anchor, else 1).") Integer block;
        @Option(names = "--directions", defaultValue = "2", description = "Directions in the plane "
                + "(default: ${DEFAULT-VALUE}).") int directions;
        @Option(names = "--seed", defaultValue = "0", description = "Seed of the choice of images and the angles "
                + "(default: ${DEFAULT-VALUE}).") long seed;
        @Option(names = "--dry-run", description = "Print the plane without writing model.json.") boolean dryRun;

        @Override
        public Integer call() {
            ModelFolder folder = ModelFolder.open(ModelFolder.locate(model));
            ModelManifest m = folder.manifest();
            ModelManifest.Defaults d = m.defaults();
            int f = block != null ? block : d.draftAnchor() != null && d.draftAnchor() > 0 ? d.draftAnchor() : 1;
            int px = size != null ? size : d.size();
            java.io.PrintWriter err = spec.commandLine().getErr();
            ColourPlaneMeasure.Result r = new ColourPlaneMeasure(VaeParts.find(folder.dir()), common.device(), data,
                    px, images, f, directions, seed).run(err::println);
            java.io.PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%d images at %d px, %d blocks of %dx%d latent cells; eigenvalues %s%n",
                    r.images(), px, r.blocks(), f, f, eigen(r.eigenvalues(), r.blocks()));
            out.println("colour plane: " + Json.compact(r.plane().rows()));
            if (!dryRun) {
                folder.writeColourPlane(r.plane(), String.format(Locale.ROOT, "ldm vae colour-plane --data %s "
                        + "--size %d --images %d --block %d --directions %d --seed %d: %d images, eigenvalues %s", data,
                        px, r.images(), f, directions, seed, r.images(), eigen(r.eigenvalues(), r.blocks())));
                out.println("written to " + folder.dir().resolve(ModelFolder.MANIFEST));
            }
            return 0;
        }

        /** The eigenvalues per block: the mean square of a difference along each direction. */
        private static String eigen(double[] values, long blocks) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", values[i] / blocks));
            }
            return b.append("]").toString();
        }
    }
}
