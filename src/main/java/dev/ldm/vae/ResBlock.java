package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.ModuleGraph;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;

/**
 * Pre-activation residual block: y = conv2(silu(conv1(silu(x)))) + skip(x), where skip is the
 * identity, or a 1×1 convolution when the channel count changes. No normalisation layer: the
 * network stays a chain of Conv, Sigmoid, Mul and Add, which exports to plain ONNX.
 */
public final class ResBlock extends Module {
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d skip;

    public ResBlock(NDManager m, Rng rng, int in, int out) {
        this.conv1 = child("conv1", Conv2d.same3x3(m, rng, in, out));
        this.conv2 = child("conv2", Conv2d.same3x3(m, rng, out, out));
        this.skip = in == out ? null : child("skip", new Conv2d(m, rng, in, out, 1, 1, 0));
    }

    /** x [B, in, H, W] → [B, out, H, W]. */
    public NDArray forward(NDArray x) {
        NDArray h = conv1.forward(Nd.silu(x));          // [B, out, H, W]
        h = conv2.forward(Nd.silu(h));                  // [B, out, H, W]
        NDArray shortcut = skip == null ? x : skip.forward(x); // [B, out, H, W]
        return h.add(shortcut);
    }

    public String export(ModuleGraph g, String x) {
        String h = conv1.export(g, OnnxOps.silu(g.graph(), x));
        h = conv2.export(g, OnnxOps.silu(g.graph(), h));
        String shortcut = skip == null ? x : skip.export(g, x);
        return OnnxOps.add(g.graph(), h, shortcut);
    }
}
