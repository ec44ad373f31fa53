package dev.ldm.flow;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * First-order ODE sampler for dx/dt = v: x ← x + (t_next − t)·v(x, t). One field evaluation per
 * step. Because the rectified-flow path is straight for a single data point, the step is exact
 * whenever the target is one point, and equals DDIM with η = 0 on this path.
 */
public final class EulerSampler implements Sampler {
    @Override
    public String name() {
        return "euler";
    }

    @Override
    public Tensor sample(VelocityField field, Tensor noise, float[] timesteps, Rng rng, StepListener listener) {
        return SamplerLoop.run(noise, timesteps, listener, (x, t, tNext) -> step(field, x, t, tNext));
    }

    /** x [B, ...] at t → x at tNext. */
    static Tensor step(VelocityField field, Tensor x, float t, float tNext) {
        Tensor v = field.velocity(x, t);   // [B, ...]
        return x.add(v.mul(tNext - t));    // [B, ...]
    }

    @Override
    public int evaluations(float[] timesteps) {
        return timesteps.length - 1;
    }
}
