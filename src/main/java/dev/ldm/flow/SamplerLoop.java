package dev.ldm.flow;

import dev.ldm.io.Tensor;

/**
 * The step loop every sampler shares: validation, the carried state and progress reports.
 * Samplers supply the step itself.
 */
final class SamplerLoop {
    /** One step from time t to tNext &lt; t: a new state, {@code x} left as it was. */
    @FunctionalInterface
    interface Step {
        Tensor apply(Tensor x, float t, float tNext);
    }

    private SamplerLoop() {}

    static Tensor run(Tensor noise, float[] timesteps, StepListener listener, Step step) {
        Schedule.validate(timesteps);
        StepListener progress = listener == null ? StepListener.NONE : listener;
        int total = timesteps.length - 1;
        Tensor x = noise;
        for (int i = 0; i < total; i++) {
            x = step.apply(x, timesteps[i], timesteps[i + 1]);
            progress.onStep(i + 1, total);
        }
        return x == noise ? new Tensor(noise.shape().clone(), noise.data().clone()) : x;
    }
}
