package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.ModuleGraph;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;

/**
 * Nearest-neighbour 2× upsampling followed by a 3×3 convolution (as in Stable Diffusion's decoder):
 * avoids the checkerboard artefacts of transposed convolutions and maps to ONNX Resize + Conv.
 */
public final class Upsample extends Module {
    private final Conv2d conv;

    public Upsample(NDManager m, Rng rng, int channels) {
        this.conv = child("conv", Conv2d.same3x3(m, rng, channels, channels));
    }

    /** x [B, C, H, W] → [B, C, 2H, 2W]. */
    public NDArray forward(NDArray x) {
        NDArray up = x.repeat(2, 2).repeat(3, 2); // [B, C, 2H, 2W], each pixel copied to a 2×2 patch
        return conv.forward(up);
    }

    public String export(ModuleGraph g, String x) {
        return conv.export(g, OnnxOps.upsampleNearest2x(g.graph(), x));
    }
}
