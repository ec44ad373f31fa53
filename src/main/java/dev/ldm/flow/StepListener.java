package dev.ldm.flow;

/** Progress callback: called after each sampler step (for progress bars and timings). */
@FunctionalInterface
public interface StepListener {
    /** Does nothing. */
    StepListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} steps are finished (1-based). */
    void onStep(int done, int total);
}
