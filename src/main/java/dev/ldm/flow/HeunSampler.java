package dev.ldm.flow;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * Second-order ODE sampler (Heun's method, the trapezoidal predictor–corrector of Karras et al.
 * 2022): an Euler predictor to t_next, then the average of the velocities at both ends. As in
 * Karras et al., a step that ends at t = 0 stays Euler (it lands on x̂_0): that saves an evaluation
 * at the one time where the model is least reliable, since logit-normal training almost never
 * visits t near 0. Field evaluations: 2 per step, minus one for the final step to 0, so
 * 2·steps − 1 for a {@link Schedule}.
 */
public final class HeunSampler implements Sampler {
    @Override
    public String name() {
        return "heun";
    }

    @Override
    public Tensor sample(VelocityField field, Tensor noise, float[] timesteps, Rng rng, StepListener listener) {
        return SamplerLoop.run(noise, timesteps, listener, (x, t, tNext) -> step(field, x, t, tNext));
    }

    private static Tensor step(VelocityField field, Tensor x, float t, float tNext) {
        float h = tNext - t;
        Tensor v1 = field.velocity(x, t);            // [B, ...]
        Tensor predicted = x.add(v1.mul(h));         // [B, ...] Euler predictor
        if (tNext == 0f) {
            return predicted;
        }
        Tensor v2 = field.velocity(predicted, tNext);  // [B, ...]
        return x.add(v1.add(v2).mul(0.5f * h));      // [B, ...] trapezoidal corrector
    }

    @Override
    public int evaluations(float[] timesteps) {
        int steps = timesteps.length - 1;
        return timesteps[steps] == 0f ? 2 * steps - 1 : 2 * steps;
    }
}
