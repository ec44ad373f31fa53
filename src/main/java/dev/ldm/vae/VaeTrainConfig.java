package dev.ldm.vae;

import dev.ldm.LdmException;
import dev.ldm.optim.LearningRate;
import java.util.Locale;

/**
 * Settings of a VAE training run (saved in the checkpoint; a resume must keep batch and seed).
 *
 * @param steps total optimizer steps
 * @param batch images per step
 * @param lr peak learning rate (after linear warm-up, then constant, so that a run can be
 *     extended by resuming with more steps and still match an uninterrupted one; then the cool-down)
 * @param warmup warm-up steps
 * @param klWeight weight of the KL term. The loss is mean reconstruction error per pixel value
 *     plus klWeight·KL/(C·H·W), which is Stable Diffusion's (sum of errors + klWeight·KL) per image
 *     divided by a constant, so its 1e-6 means the same here
 * @param loss reconstruction loss: {@code mse}, or {@code l1} (Stable Diffusion's, sharper edges)
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param seed seed of every random stream of the run (initialisation, data order, posterior noise)
 * @param checkpointEvery steps between checkpoints (one is always written at the end)
 * @param evalEvery steps between held-out PSNR reports (0 = only at the end)
 * @param cooldown the last steps, over which the learning rate falls linearly to zero (0 = none): the
 *     warm-up, stable, decay schedule, so that a run is trained in stages at a constant rate and
 *     finished by a cool-down when it is to be used (a checkpoint from before the cool-down can still
 *     be extended)
 * @param init a trained autoencoder folder to start from (its {@code vae/weights.safetensors} and
 *     {@code vae/config.json}), or null to start from a fresh initialisation
 * @param decoderOnly train only the decoder: the encoder (and so the latents and their normalisation,
 *     taken from {@code init}) stay exactly as they were, so a better decoder can replace the old one
 *     under a latent diffusion model trained on its latents (Stable Diffusion's ft-MSE decoders)
 * @param ssimWeight weight W of the structural term W·(1 − MS-SSIM) on images in [0, 1] ({@link MsSsim}; 0 = off)
 * @param ganWeight weight of the patch discriminator's adversarial term, times the adaptive weight
 *     ({@link AdversarialLoss}; 0 = off)
 * @param ganStart step after which the adversarial term and the discriminator's training start
 *     (0 = from the first step)
 */
public record VaeTrainConfig(int steps, int batch, double lr, int warmup, double klWeight, String loss,
        double weightDecay, double clipNorm, long seed, int checkpointEvery, int evalEvery, int cooldown,
        String init, boolean decoderOnly, double ssimWeight, double ganWeight, int ganStart) {
    /** A run from a fresh initialisation with the reconstruction and KL terms only. */
    public VaeTrainConfig(int steps, int batch, double lr, int warmup, double klWeight, String loss,
            double weightDecay, double clipNorm, long seed, int checkpointEvery, int evalEvery, int cooldown) {
        this(steps, batch, lr, warmup, klWeight, loss, weightDecay, clipNorm, seed, checkpointEvery, evalEvery,
                cooldown, null, false, 0, 0, 0);
    }

    public VaeTrainConfig {
        check(steps >= 1, "steps must be at least 1");
        check(batch >= 1 && batch <= 4096, "batch must be between 1 and 4096");
        check(Double.isFinite(lr) && lr > 0 && lr < 1, "lr must be in (0, 1)");
        check(warmup >= 0, "warmup must be >= 0");
        check(Double.isFinite(klWeight) && klWeight >= 0 && klWeight <= 1, "klWeight must be in [0, 1]");
        loss = loss == null ? "l1" : loss.toLowerCase(Locale.ROOT);
        check(loss.equals("l1") || loss.equals("mse"), "loss must be l1 or mse, not '" + loss + "'");
        check(Double.isFinite(weightDecay) && weightDecay >= 0, "weightDecay must be >= 0");
        check(Double.isFinite(clipNorm) && clipNorm >= 0, "clipNorm must be >= 0");
        check(checkpointEvery >= 1, "checkpointEvery must be at least 1");
        check(evalEvery >= 0, "evalEvery must be >= 0");
        check(cooldown >= 0 && cooldown <= steps, "cooldown must be 0 to steps (" + steps + ")");
        check(!decoderOnly || init != null, "decoder-only training needs an autoencoder to start from (--init)");
        check(Double.isFinite(ssimWeight) && ssimWeight >= 0 && ssimWeight <= 100, "ssimWeight must be in [0, 100]");
        check(Double.isFinite(ganWeight) && ganWeight >= 0 && ganWeight <= 100, "ganWeight must be in [0, 100]");
        check(ganStart >= 0, "ganStart must be >= 0");
    }

    /**
     * Defaults for the {@code f4} preset on 32×32 images: about ten minutes on two CPU cores. MSE at
     * 2e-3 reached a higher held-out PSNR in 400 steps than L1 at 1e-3 (27.3 against 25.0 dB on
     * synthetic squares), and PSNR is the figure reported.
     */
    public static VaeTrainConfig defaults() {
        return new VaeTrainConfig(1500, 16, 2e-3, 100, 1e-6, "mse", 0.0, 1.0, 0, 250, 0, 0);
    }

    public VaeTrainConfig withSteps(int newSteps) {
        return new VaeTrainConfig(newSteps, batch, lr, warmup, klWeight, loss, weightDecay, clipNorm, seed,
                checkpointEvery, evalEvery, Math.min(cooldown, newSteps), init, decoderOnly, ssimWeight, ganWeight,
                ganStart);
    }

    /** This run started from the autoencoder in {@code dir} (decoder only, or the whole model). */
    public VaeTrainConfig withInit(String dir, boolean onlyDecoder) {
        return new VaeTrainConfig(steps, batch, lr, warmup, klWeight, loss, weightDecay, clipNorm, seed,
                checkpointEvery, evalEvery, cooldown, dir, onlyDecoder, ssimWeight, ganWeight, ganStart);
    }

    /** This run with the structural and adversarial terms set. */
    public VaeTrainConfig withTerms(double ssim, double gan, int start) {
        return new VaeTrainConfig(steps, batch, lr, warmup, klWeight, loss, weightDecay, clipNorm, seed,
                checkpointEvery, evalEvery, cooldown, init, decoderOnly, ssim, gan, start);
    }

    /** Whether step (1-based) trains with the adversarial term and trains the discriminator. */
    public boolean ganAt(long step) {
        return ganWeight > 0 && step > ganStart;
    }

    /**
     * Learning rate at a step (1-based): linear warm-up, then constant, then over the last
     * {@code cooldown} steps a linear fall that reaches zero one step after the last.
     */
    public double lrAt(long step) {
        return LearningRate.at(lr, warmup, steps, cooldown, step);
    }

    public boolean l1() {
        return loss.equals("l1");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput("VAE training: " + message);
        }
    }
}
