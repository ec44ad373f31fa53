package dev.ldm.train;

import dev.ldm.LdmException;
import dev.ldm.optim.LearningRate;

/**
 * Settings of a DiT training run (saved in the checkpoint; a resume must use the same ones).
 *
 * @param steps total optimizer steps
 * @param batch images per step
 * @param lr peak learning rate (after linear warm-up)
 * @param warmup warm-up steps
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param emaDecay EMA decay of the weights that ship
 * @param captionDropout probability of training a sample on the empty prompt (for guidance)
 * @param tagDropout probability of training a sample on its caption's first tag alone (the text before
 *     the first comma: {@code fox} for {@code fox, noto style}), so short prompts work as well as full ones
 * @param timesteps timestep distribution: logit-normal[:m,s] or uniform
 * @param seed seed of every random stream of the run
 * @param checkpointEvery steps between checkpoints
 * @param sampleEvery steps between sample grids (0 = never)
 * @param cooldown the last steps, over which the learning rate falls linearly to zero (0 = constant after
 *     the warm-up; {@link LearningRate}). It may be added or changed at a resume, with more steps: train
 *     in stages at a constant rate, then finish with a cool-down
 */
public record TrainConfig(int steps, int batch, double lr, int warmup, double weightDecay, double clipNorm,
        double emaDecay, double captionDropout, double tagDropout, String timesteps, long seed, int checkpointEvery, int sampleEvery, int cooldown) {
    /** A run at a constant rate after the warm-up (no cool-down). */
    public TrainConfig(int steps, int batch, double lr, int warmup, double weightDecay, double clipNorm,
            double emaDecay, double captionDropout, double tagDropout, String timesteps, long seed,
            int checkpointEvery, int sampleEvery) {
        this(steps, batch, lr, warmup, weightDecay, clipNorm, emaDecay, captionDropout, tagDropout, timesteps, seed,
                checkpointEvery, sampleEvery, 0);
    }

    public TrainConfig {
        check(steps >= 1, "--steps must be at least 1");
        check(batch >= 1 && batch <= 4096, "--batch must be between 1 and 4096");
        check(Double.isFinite(lr) && lr > 0 && lr < 1, "--lr must be in (0, 1)");
        check(warmup >= 0, "--warmup must be >= 0");
        check(Double.isFinite(weightDecay) && weightDecay >= 0, "--weight-decay must be >= 0");
        check(Double.isFinite(clipNorm) && clipNorm >= 0, "--clip must be >= 0");
        check(emaDecay >= 0 && emaDecay < 1, "--ema must be in [0, 1)");
        check(captionDropout >= 0 && captionDropout <= 1, "--caption-dropout must be in [0, 1]");
        check(tagDropout >= 0 && tagDropout <= 1, "--tag-dropout must be in [0, 1]");
        check(checkpointEvery >= 1, "--checkpoint-every must be at least 1");
        check(sampleEvery >= 0, "--sample-every must be >= 0");
        check(cooldown >= 0 && cooldown <= steps, "--cooldown must be 0 to --steps (" + steps + "), not " + cooldown);
        try {
            dev.ldm.flow.TimestepSampler.parse(timesteps); // refused now, not after the data set is encoded
        } catch (LdmException e) {
            throw LdmException.badInput("--timesteps: " + e.getMessage(), e);
        }
    }

    /** Learning rate at a step (1-based): linear warm-up, constant, then the cool-down ({@link LearningRate}). */
    public double lrAt(long step) {
        return LearningRate.at(lr, warmup, steps, cooldown, step);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw LdmException.badInput(message);
        }
    }
}
