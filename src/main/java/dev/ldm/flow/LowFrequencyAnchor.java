package dev.ldm.flow;

import dev.ldm.io.Tensor;

/**
 * A velocity field that keeps the coarse layout of a reference latent z while another field draws
 * the rest: the layout is φ, the mean of every f×f block of each latent plane written back over
 * its block (a linear projection, φ∘φ = φ). At every time t the low-pass part of the predicted clean
 * latent x̂_0 = x − t·v is replaced by the reference's, φ(x̂_0) := φ(z), which in the velocity reads
 *
 * <pre>v' = v − φ(v) + (φ(x) − φ(z)) / t.</pre>
 *
 * <p>This is ILVR (Choi et al., 2021), whose low-pass of the sample is replaced by the reference's
 * at every step, written on the x̂_0 prediction as DDNM (Wang et al., 2023) does for a linear
 * constraint. On the forward path from z, x_t = (1 − t)·z + t·ε, the replaced part is the path's own
 * velocity φ(ε − z), so an Euler step stays on it; off the path the difference is corrected at every
 * step. Where the block means of z are kept, the field's own detail above the block size is kept
 * too: the cascade uses this so that the draft decides the composition and the large model, from a
 * higher draft strength, the detail. With f = 1 all of z is layout, v' = (x − z)/t, and any sampler
 * ends at z whatever the inner field says.
 *
 * <p>With a {@link ColourPlane}, φ keeps only the part of each block mean outside the plane: the layout
 * without its colour, φ(R(x)) with R the projection off the plane (R acts on channels, φ on cells, so
 * they commute and φ∘R is again a projection). The inner field then chooses the colour, which is how
 * a colour word the draft cannot draw still shows ({@code --draft-colour free}).
 */
public final class LowFrequencyAnchor implements VelocityField {
    /** The largest block side a request or model may ask for: 64 latent cells, 512 pixels at the usual 8× VAE. */
    public static final int MAX_FACTOR = 64;

    private final VelocityField inner;
    private final Tensor referenceLow; // φ(z) [B, C, h, w]
    private final int factor;
    private final ColourPlane free; // null: every channel kept

    /**
     * @param inner the field that draws
     * @param reference z [B, C, h, w], h and w multiples of {@code factor}
     * @param factor the block side f ≥ 1, in latent cells
     */
    public LowFrequencyAnchor(VelocityField inner, Tensor reference, int factor) {
        this(inner, reference, factor, null);
    }

    /**
     * @param inner the field that draws
     * @param reference z [B, C, h, w], h and w multiples of {@code factor}
     * @param factor the block side f ≥ 1, in latent cells
     * @param free the colour plane the inner field draws freely, or null to keep every channel
     */
    public LowFrequencyAnchor(VelocityField inner, Tensor reference, int factor, ColourPlane free) {
        long[] s = reference.shape();
        if (factor < 1 || s.length != 4 || s[2] % factor != 0 || s[3] % factor != 0) {
            throw new IllegalArgumentException("reference " + reference.shapeString() + " is not [B, C, h, w] in "
                    + factor + "x" + factor + " blocks");
        }
        if (free != null && free.channels() != s[1]) {
            throw new IllegalArgumentException("a colour plane of " + free.channels() + " channels for latents "
                    + reference.shapeString());
        }
        this.inner = inner;
        this.factor = factor;
        this.free = free;
        this.referenceLow = kept(reference);
    }

    /** x [B, C, h, w] at time t → v' [B, C, h, w]. */
    @Override
    public Tensor velocity(Tensor x, float t) {
        Tensor v = inner.velocity(x, t);                                 // [B, C, h, w]
        if (t <= 0f) {
            return v; // x̂_0 = x: nothing left to replace (samplers do not ask at t = 0)
        }
        Tensor kept = kept(x).sub(referenceLow).div(t);                 // (φ(x) − φ(z)) / t
        return v.sub(kept(v)).add(kept);
    }

    /** The part of x the anchor holds: φ(x), or φ(R(x)) with a colour plane. */
    private Tensor kept(Tensor x) {
        return lowPass(free == null ? x : free.remove(x), factor);
    }

    /** φ(x): the mean of every f×f block of each [h, w] plane of x [..., h, w], written over its block. */
    public static Tensor lowPass(Tensor x, int f) {
        long[] s = x.shape();
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        int planes = x.data().length / (h * w);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int by = 0; by < h; by += f) {
                for (int bx = 0; bx < w; bx += f) {
                    float sum = 0f;
                    for (int y = by; y < by + f; y++) {
                        for (int c = bx; c < bx + f; c++) {
                            sum += in[base + y * w + c];
                        }
                    }
                    float mean = sum / (f * f);
                    for (int y = by; y < by + f; y++) {
                        for (int c = bx; c < bx + f; c++) {
                            out[base + y * w + c] = mean;
                        }
                    }
                }
            }
        }
        return new Tensor(s.clone(), out);
    }
}
