package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;

/**
 * Latent → patch tokens: {@link Patchify} then one Linear per patch. The same map as DiT's
 * stride-p convolution, written as a matrix product (no im2col, no convolution kernel).
 */
public final class PatchEmbed extends Module {
    private final int patch;
    private final Linear proj;

    public PatchEmbed(NDManager m, Rng rng, int patch, int inChannels, int hidden) {
        this.patch = patch;
        this.proj = child("proj", new Linear(m, rng, (long) patch * patch * inChannels, hidden));
    }

    /** x [B, C, H, W] → [B, T, D]. */
    public NDArray forward(NDArray x) {
        return proj.forward(Patchify.patchify(x, patch));                  // [B, T, D]
    }

    /** {@link #forward} as ONNX: x [B, C, H, W] → [B, T, D]. */
    static String export(DiTGraph g, String prefix, String x) {
        DiTConfig c = g.config();
        return g.linear(prefix + ".proj", Patchify.exportPatchify(g, x), g.tokens(), c.patchDim(), c.hidden()); // [B, T, D]
    }
}
