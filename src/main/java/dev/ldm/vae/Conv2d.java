package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.ModuleGraph;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;

/**
 * A square-kernel 2-D convolution with bias, weight stored [out, in, k, k] (PyTorch layout).
 * Initialised as PyTorch does by default (uniform ±1/√fan_in for weight and bias), which shrinks
 * activations slightly per layer and so keeps a network without normalisation layers stable.
 */
public final class Conv2d extends Module {
    private final NDArray weight;
    private final NDArray bias;
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(NDManager m, Rng rng, int in, int out, int kernel, int stride, int padding) {
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = param("weight", Nd.uniform(m, rng, bound, out, in, kernel, kernel));
        this.bias = param("bias", Nd.uniform(m, rng, bound, out));
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** 3×3, stride 1, "same" padding. */
    public static Conv2d same3x3(NDManager m, Rng rng, int in, int out) {
        return new Conv2d(m, rng, in, out, 3, 1, 1);
    }

    /** x [B, in, H, W] → [B, out, (H + 2p - k)/s + 1, (W + 2p - k)/s + 1]. */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** The same computation as an ONNX Conv node. */
    public String export(ModuleGraph g, String x) {
        return OnnxOps.conv2d(g.graph(), x, g.param(weight), g.param(bias), kernel, stride, padding);
    }
}
