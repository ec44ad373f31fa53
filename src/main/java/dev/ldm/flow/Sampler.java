package dev.ldm.flow;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * Integrates a velocity field from t = 1 (noise) to t = 0 (data) along a given schedule.
 * Implementations are stateless: everything they use arrives as arguments, so one instance serves
 * any number of concurrent generations; a new sampler is a new class, not a new flag.
 *
 * <p>The state is a host tensor, and every step is float arithmetic on it ({@link Tensor#add},
 * {@link Tensor#mul}, ...): sampling starts no engine of its own, and memory is only the few
 * states a step holds. The noise tensor is never modified.
 */
public interface Sampler {
    /** The name {@link Samplers#byName} reads back (written into PNG settings). */
    String name();

    /**
     * @param field the velocity, called with the whole batch
     * @param noise x at t = timesteps[0] (normally pure noise at t = 1), [B, ...]; not modified
     * @param timesteps strictly decreasing times in [0, 1], normally from {@link Schedule#timesteps}
     * @param rng ldm's seeded generator for any sampler noise (deterministic samplers ignore it)
     * @param listener progress, or {@code null} for none
     * @return x at t = timesteps[last], a new tensor with the shape of {@code noise}
     * @throws dev.ldm.LdmException bad input for an invalid schedule
     */
    Tensor sample(VelocityField field, Tensor noise, float[] timesteps, Rng rng, StepListener listener);

    /** How many times {@link #sample} calls the field for this schedule (NFE). */
    int evaluations(float[] timesteps);
}
