package dev.ldm.vae;

/** Progress of a {@link VaeTrainer} run, for a progress bar or a log. Called on the training thread. */
public interface VaeTrainListener {
    /** No reporting. */
    VaeTrainListener NONE = (step, total, loss, stepsPerSecond) -> { };

    /** After every optimizer step (1-based), with that step's loss and the run's mean speed. */
    void onStep(long step, long totalSteps, double loss, double stepsPerSecond);

    /** After each held-out evaluation. */
    default void onEval(long step, double psnr) {}

    /** After each checkpoint is written. */
    default void onCheckpoint(long step) {}
}
