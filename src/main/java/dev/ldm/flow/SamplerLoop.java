package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * The step loop every sampler shares: validation, one NDScope per step that keeps only the next
 * state, closing of superseded states, and progress reports. Samplers supply the step itself.
 */
final class SamplerLoop {
    /** One step from time t to tNext &lt; t; any array it creates other than the result is freed. */
    @FunctionalInterface
    interface Step {
        NDArray apply(NDArray x, float t, float tNext);
    }

    private SamplerLoop() {}

    static NDArray run(NDArray noise, float[] timesteps, StepListener listener, Step step) {
        Schedule.validate(timesteps);
        StepListener progress = listener == null ? StepListener.NONE : listener;
        int total = timesteps.length - 1;
        NDArray x = noise;
        try {
            for (int i = 0; i < total; i++) {
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    next = step.apply(x, timesteps[i], timesteps[i + 1]);
                    NDScope.unregister(next);
                }
                closeCarried(x, noise);
                x = next;
                progress.onStep(i + 1, total);
            }
        } catch (RuntimeException e) {
            closeCarried(x, noise);
            throw e;
        }
        NDScope.register(x);
        return x;
    }

    private static void closeCarried(NDArray x, NDArray noise) {
        if (x != noise) {
            x.close();
        }
    }
}
