package dev.ldm.flow;

import ai.djl.ndarray.NDArray;

/**
 * A velocity v(x, t) ≈ E[ε − x_0 | x_t = x] for the whole batch at one time t: a trained network
 * with its conditioning bound, a guidance wrapper, or an exact formula in tests. Samplers know
 * nothing else about the model.
 *
 * <p>The returned array must be new (samplers close it at the end of the step) and have the shape
 * of {@code x}.
 */
@FunctionalInterface
public interface VelocityField {
    /** x [B, ...] at time t → v [B, ...]. */
    NDArray velocity(NDArray x, float t);
}
