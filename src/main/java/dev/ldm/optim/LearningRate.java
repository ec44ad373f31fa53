package dev.ldm.optim;

/**
 * The learning-rate schedule of every ldm training run: warm-up, stable, decay. The rate rises
 * linearly to its peak over {@code warmup} steps, stays there, and over the last {@code cooldown}
 * steps falls linearly to zero one step after the last. Until the cool-down starts the rate does not
 * depend on the run's length, so a run trains in stages with {@code --resume} at a constant rate and is
 * finished by a cool-down when it is to be used; a checkpoint from before the cool-down can still be
 * extended (Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training Beyond Fixed Training
 * Durations", arXiv 2405.18392).
 */
public final class LearningRate {
    private LearningRate() {}

    /**
     * The rate at a step (1-based) of a run of {@code steps} steps.
     *
     * @param peak the rate after the warm-up
     * @param warmup steps of linear warm-up (0 = none)
     * @param steps the run's total steps
     * @param cooldown the last steps, over which the rate falls (0 = none)
     * @param step the step, 1 to {@code steps}
     */
    public static double at(double peak, int warmup, long steps, int cooldown, long step) {
        double rate = warmup == 0 ? peak : peak * Math.min(1.0, (double) step / warmup);
        long left = steps - step; // steps after this one
        return cooldown > 0 && left < cooldown ? rate * (left + 1) / (cooldown + 1) : rate;
    }
}
