package dev.ldm.cli;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
import dev.ldm.io.Json;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import dev.ldm.vae.VaeConfig;
import dev.ldm.vae.VaeTrainConfig;
import dev.ldm.vae.VaeTrainListener;
import dev.ldm.vae.VaeTrainResult;
import dev.ldm.vae.VaeTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldm vae ...}: ldm's own autoencoder. */
@Command(name = "vae", description = "Train ldm's own autoencoder and export it to ONNX.", mixinStandardHelpOptions = true,
        subcommands = {VaeCommand.Train.class})
public final class VaeCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (train)");
    }

    /** {@code ldm vae train --data DIR --out DIR}. */
    @Command(name = "train", description = "Train the VAE on an image folder; writes vae_encoder/, vae_decoder/, vae/.",
            mixinStandardHelpOptions = true)
    public static final class Train implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true) Path data;
        @Option(names = "--out", required = true) Path out;
        @Option(names = "--preset", defaultValue = "f4", description = "tiny, f4 or f8 (default: ${DEFAULT-VALUE}).") String preset;
        @Option(names = "--size", defaultValue = "32") int size;
        @Option(names = "--steps", defaultValue = "1500") int steps;
        @Option(names = "--batch", defaultValue = "16") int batch;
        @Option(names = "--lr", defaultValue = "2e-3") double lr;
        @Option(names = "--warmup", defaultValue = "100") int warmup;
        @Option(names = "--kl", defaultValue = "1e-6", description = "KL weight.") double kl;
        @Option(names = "--loss", defaultValue = "mse", description = "mse or l1.") String loss;
        @Option(names = "--holdout", defaultValue = "0.05", description = "Fraction of images held out for PSNR.") double holdout;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--checkpoint-every", defaultValue = "250") int checkpointEvery;
        @Option(names = "--resume") boolean resume;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            if (!(holdout > 0 && holdout < 0.5)) {
                throw LdmException.badInput("--holdout must be in (0, 0.5)");
            }
            VaeConfig model = VaeConfig.preset(preset);
            if (size < 1 || size > 4096) {
                throw LdmException.badInput("--size must be between 1 and 4096, not " + size);
            }
            if (size % model.downsampleFactor() != 0) {
                throw LdmException.badInput("--size " + size + " is not a multiple of the VAE factor " + model.downsampleFactor());
            }
            VaeTrainConfig config = new VaeTrainConfig(steps, batch, lr, warmup, kl, loss, 0.0, 1.0, seed,
                    checkpointEvery, 0);
            var err = spec.commandLine().getErr();
            LoadedImages loaded = ImageFolder.load(ImageFolder.scan(data), size, w -> err.println("ldm: warning: " + w));
            if (loaded.skipped() > 0) {
                err.println("ldm: warning: skipped " + loaded.skipped() + " unreadable image(s)");
            }
            List<Tensor> train = new ArrayList<>();
            List<Tensor> held = new ArrayList<>();
            split(loaded.images(), holdout, seed, train, held);
            VaeTrainResult r;
            boolean bar = !json && Progress.interactive();
            try (ProgressBar pb = bar ? Progress.bar("vae", steps, "step") : null) {
                VaeTrainListener l = (step, total, lossValue, rate) -> {
                    if (pb != null) {
                        pb.stepTo(step);
                        pb.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossValue));
                    } else if (!json && (step % 100 == 0 || step == total)) {
                        err.printf(Locale.ROOT, "step %d/%d loss %.4f (%.1f steps/s)%n", step, total, lossValue, rate);
                    }
                };
                r = new VaeTrainer(model, config).train(train, held, out, resume, l);
            }
            if (json) {
                spec.commandLine().getOut().println(Json.pretty(r));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "VAE trained %d steps; held-out PSNR %.2f dB on %d images; scale %.4f shift %.4f; written to %s%n",
                        r.steps(), r.psnr(), held.size(), r.scale(), r.shift(), out);
            }
            return 0;
        }

        /** A seeded split: about {@code fraction} of the images (at least one) are held out. */
        static void split(List<Tensor> all, double fraction, long seed, List<Tensor> train, List<Tensor> held) {
            if (all.size() < 2) {
                throw LdmException.badInput("need at least 2 readable images to hold one out");
            }
            int nHeld = Math.max(1, (int) Math.round(all.size() * fraction));
            int[] perm = Rng.stream(seed, "holdout").permutation(all.size());
            boolean[] isHeld = new boolean[all.size()];
            for (int i = 0; i < nHeld; i++) {
                isHeld[perm[i]] = true;
            }
            for (int i = 0; i < all.size(); i++) {
                (isHeld[i] ? held : train).add(all.get(i));
            }
        }
    }
}
