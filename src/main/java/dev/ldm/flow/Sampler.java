package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import dev.ldm.util.Rng;

/**
 * Integrates a velocity field from t = 1 (noise) to t = 0 (data) along a given schedule.
 * Implementations are stateless: everything they use arrives as arguments, so one instance serves
 * any number of concurrent generations; a new sampler is a new class, not a new flag.
 *
 * <p>Memory: each step runs inside its own {@link ai.djl.ndarray.NDScope}; only the carried state
 * survives a step, and intermediate states are closed, so memory stays flat over any number of
 * steps. The noise array is never closed (the caller owns it). The result is registered with the
 * caller's enclosing scope, if any, like the result of any NDArray operation.
 */
public interface Sampler {
    /** The name {@link Samplers#byName} reads back (written into PNG settings). */
    String name();

    /**
     * @param field the velocity, called with the whole batch
     * @param noise x at t = timesteps[0] (normally pure noise at t = 1), [B, ...]; not closed
     * @param timesteps strictly decreasing times in [0, 1], normally from {@link Schedule#timesteps}
     * @param rng ldm's seeded generator for any sampler noise (deterministic samplers ignore it)
     * @param listener progress, or {@code null} for none
     * @return x at t = timesteps[last], a new array with the shape of {@code noise}
     * @throws dev.ldm.LdmException bad input for an invalid schedule
     */
    NDArray sample(VelocityField field, NDArray noise, float[] timesteps, Rng rng, StepListener listener);

    /** How many times {@link #sample} calls the field for this schedule (NFE). */
    int evaluations(float[] timesteps);
}
