package dev.ldm.flow;

import dev.ldm.io.Tensor;

/**
 * SDEdit (Meng et al., 2022) on the rectified-flow path: an image's latent z is moved to time
 * t = S along the forward path, x_S = (1 − S)·z + S·ε, and the sampler integrates from S down to 0.
 *
 * <p>Schedule choice: the usual {@code steps}-step schedule on [1, 0] (with its shift) scaled by S,
 * so every requested step is taken inside [S, 0] and the shift keeps its shape relative to the
 * interval. (diffusers instead keeps the part of the full schedule below S, taking about S·steps
 * steps.) At S = 1 the scaled schedule and x_S = ε are exactly those of plain generation, so the
 * same seed gives the same pixels; at S = 0 there is nothing to integrate and the result is the
 * image's VAE reconstruction.
 */
public final class SdEdit {
    private SdEdit() {}

    /** {@code steps + 1} times from exactly S down to exactly 0; S in (0, 1]. */
    public static float[] timesteps(int steps, double shift, float strength) {
        if (!(strength > 0f && strength <= 1f)) {
            throw new IllegalArgumentException("strength must be in (0, 1], not " + strength);
        }
        float[] ts = Schedule.timesteps(steps, shift);
        for (int i = 0; i < ts.length; i++) {
            ts[i] *= strength;
        }
        return ts;
    }

    /** x_S = (1 − S)·z + S·ε: z and ε [n, C, h, w] → [n, C, h, w]. */
    public static Tensor start(Tensor z, Tensor noise, float strength) {
        return RectifiedFlow.interpolate(z, noise, strength);
    }
}
