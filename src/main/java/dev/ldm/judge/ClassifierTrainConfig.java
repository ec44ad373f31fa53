package dev.ldm.judge;

import dev.ldm.LdmException;

/**
 * Settings of a classifier training run.
 *
 * @param steps optimizer steps
 * @param batch images per step
 * @param lr peak learning rate (linear warm-up, then cosine decay to 10% of it)
 * @param warmup warm-up steps
 * @param weightDecay weight decay passed to {@link dev.ldm.optim.AdamW}; default 0: in DJL 0.35 the fused
 *     Adam kernel adds it to the gradient before Adam's normalisation (L2, not decoupled), which at
 *     0.05 kept the judge from learning the shapes at all
 * @param shift largest random translation in pixels (augmentation; borders replicate the edge)
 * @param seed seed of initialisation, batches and augmentation
 * @param hue share of training images whose hue is turned by a random angle ({@link
 *     dev.ldm.image.HueRotation}; augmentation, so the judge names a concept in colours it was never drawn
 *     in; 0: none, the images as drawn)
 */
public record ClassifierTrainConfig(int steps, int batch, double lr, int warmup, double weightDecay, int shift,
        long seed, double hue) {
    public ClassifierTrainConfig {
        check(steps >= 1 && steps <= 10_000_000, "--steps must be between 1 and 10000000");
        check(batch >= 1 && batch <= 4096, "--batch must be between 1 and 4096");
        check(Double.isFinite(lr) && lr > 0 && lr < 1, "--lr must be in (0, 1)");
        check(warmup >= 0, "--warmup must be >= 0");
        check(Double.isFinite(weightDecay) && weightDecay >= 0, "--weight-decay must be >= 0");
        check(shift >= 0 && shift <= 64, "--shift must be between 0 and 64 pixels");
        check(Double.isFinite(hue) && hue >= 0 && hue <= 1, "--hue must be between 0 and 1");
    }

    /** Without hue augmentation (the settings before there was a choice). */
    public ClassifierTrainConfig(int steps, int batch, double lr, int warmup, double weightDecay, int shift,
            long seed) {
        this(steps, batch, lr, warmup, weightDecay, shift, seed, 0);
    }

    /** Learning rate at a step (1-based). */
    public double lrAt(long step) {
        if (step <= warmup) {
            return lr * step / Math.max(1, warmup);
        }
        double progress = (double) (step - warmup) / Math.max(1, steps - warmup);
        return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput(message);
        }
    }
}
