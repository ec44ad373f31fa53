package dev.ldm.vae;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;

/**
 * The map between raw VAE latents and the unit-variance latents the diffusion model works in
 * (DESIGN.md "Latents"): z = (latent − shift)·scale, latent = z/scale + shift.
 *
 * @param scale scaling_factor (Stable Diffusion 1.x: 0.18215; ldm's own VAE: 1/std measured on its data)
 * @param shift shift_factor (Stable Diffusion 1.x: 0; ldm's own VAE: the measured mean)
 */
public record LatentNormalization(double scale, double shift) {
    /** Stable Diffusion 1.x's VAE. */
    public static final LatentNormalization STABLE_DIFFUSION_1 = new LatentNormalization(0.18215, 0);

    public LatentNormalization {
        if (!(Double.isFinite(scale) && scale > 0)) {
            throw LdmException.badInput("latent scaling factor must be finite and positive, not " + scale);
        }
        if (!Double.isFinite(shift)) {
            throw LdmException.badInput("latent shift factor must be finite, not " + shift);
        }
    }

    /** Raw encoder latents → diffusion latents. */
    public Tensor normalize(Tensor latent) {
        float[] in = latent.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) ((in[i] - shift) * scale);
        }
        return new Tensor(latent.shape().clone(), out);
    }

    /** Diffusion latents → raw latents for the decoder. */
    public Tensor denormalize(Tensor z) {
        float[] in = z.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] / scale + shift);
        }
        return new Tensor(z.shape().clone(), out);
    }
}
