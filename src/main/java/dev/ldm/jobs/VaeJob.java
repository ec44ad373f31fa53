package dev.ldm.jobs;

import dev.ldm.LdmException;
import dev.ldm.data.ImageFolder;
import dev.ldm.data.LoadedImages;
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

/**
 * {@code ldm vae train}: reads an image folder, holds out a seeded share of it, trains ldm's
 * autoencoder ({@link VaeTrainer}) and exports it into {@code out}.
 *
 * @param data image folder (recursive)
 * @param out folder for vae/, vae_encoder/, vae_decoder/ and checkpoints
 * @param model architecture
 * @param size image side in pixels (a multiple of the VAE factor)
 * @param holdout share of the images held out for the PSNR, in (0, 0.5)
 * @param train optimisation settings
 * @param resume continue from the last checkpoint
 */
public record VaeJob(Path data, Path out, VaeConfig model, int size, double holdout, VaeTrainConfig train,
        boolean resume) {
    public VaeJob {
        if (!(holdout > 0 && holdout < 0.5)) {
            throw LdmException.badInput("--holdout must be in (0, 0.5)");
        }
        if (size < 1 || size > 4096) {
            throw LdmException.badInput("--size must be between 1 and 4096, not " + size);
        }
        if (size % model.downsampleFactor() != 0) {
            throw LdmException.badInput("--size " + size + " is not a multiple of the VAE factor " + model.downsampleFactor());
        }
    }

    /** The trained autoencoder's figures and the number of held-out images. */
    public record Outcome(VaeTrainResult result, int heldOut) {}

    public Outcome run(JobEvents events) {
        LoadedImages loaded = ImageFolder.load(ImageFolder.scan(data), size, events::warning);
        if (loaded.skipped() > 0) {
            events.warning("skipped " + loaded.skipped() + " unreadable image(s)");
        }
        List<Tensor> images = new ArrayList<>();
        List<Tensor> held = new ArrayList<>();
        split(loaded.images(), holdout, train.seed(), images, held);
        VaeTrainResult r = new VaeTrainer(model, train).train(images, held, out, resume, new VaeTrainListener() {
            @Override
            public void onStep(long step, long total, double loss, double stepsPerSecond) {
                events.step(step, total, loss, train.lrAt(step));
            }

            @Override
            public void onEval(long step, double psnr) {
                events.evaluated(step, "held-out PSNR (dB)", psnr);
            }
        });
        return new Outcome(r, held.size());
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
