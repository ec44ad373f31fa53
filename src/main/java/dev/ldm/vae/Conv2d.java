package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 *
 * <p>Output channels are computed in multiples of {@link #CHANNEL_BLOCK}. PyTorch 2.7.1 runs fp32
 * CPU convolutions in its bundled oneDNN, which stores channels in blocks of 8 (AVX2) or 16
 * (AVX-512); when the output channel count is not a multiple of the block, the gradient with
 * respect to the input reads the uninitialised padding slots of a blocked buffer and comes out
 * wrong, sometimes NaN (measured: a 32→3 convolution at batch 16 off by 0.3 against an fp64
 * reference; 32→16 exact). The forward pass therefore convolves with the weight and bias padded
 * by zero output channels and slices the real channels back out: the stored weights, the result
 * and the ONNX export are unchanged, and the backward pass only ever sees whole blocks.
 * {@code ConvolutionGradientTest} checks every shape ldm trains against fp64.
 */
public final class Conv2d extends Module {
    /** The widest oneDNN fp32 channel block (AVX-512); a multiple of the AVX2 block of 8. */
    public static final int CHANNEL_BLOCK = 16;

    private final NDArray weight;
    private final NDArray bias;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(NDManager m, Rng rng, int in, int out, int kernel, int stride, int padding) {
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = param("weight", Nd.uniform(m, rng, bound, out, in, kernel, kernel));
        this.bias = param("bias", Nd.uniform(m, rng, bound, out));
        this.inChannels = in;
        this.outChannels = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** 3×3, stride 1, "same" padding. */
    public static Conv2d same3x3(NDManager m, Rng rng, int in, int out) {
        return new Conv2d(m, rng, in, out, 3, 1, 1);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    /** x [B, in, H, W] → [B, out, (H + 2p - k)/s + 1, (W + 2p - k)/s + 1]. */
    public NDArray forward(NDArray x) {
        if (kernel == 1 && stride == 1 && padding == 0) {
            return pointwise(x);
        }
        NDManager m = x.getManager();
        long batch = x.getShape().get(0);
        if (batch == 1) {
            // PyTorch's dispatcher sends a lone small image to its native kernel after probing
            // NNPACK, which prints a warning on every call on CPUs NNPACK does not support. A zero
            // second image keeps every convolution on oneDNN; it is sliced off again.
            NDArray two = x.concat(m.zeros(x.getShape(), x.getDataType()), 0);
            return forward(two).get(new NDIndex("0:1"));
        }
        int missing = Math.floorMod(-outChannels, CHANNEL_BLOCK);
        if (missing == 0) {
            return convolve(x, weight, bias);
        }
        NDArray w = weight.concat(m.zeros(new Shape(missing, inChannels, kernel, kernel), weight.getDataType()), 0);
        NDArray b = bias.concat(m.zeros(new Shape(missing), bias.getDataType()), 0);
        return convolve(x, w, b).get(new NDIndex(":, :" + outChannels));
    }

    /**
     * A 1×1 convolution is a matrix product over channels: [out, in] · [B, in, H·W]. Computed as
     * one, it never reaches PyTorch's convolution dispatcher (which, single-threaded, sends it to
     * the native kernel after probing NNPACK).
     */
    private NDArray pointwise(NDArray x) {
        Shape s = x.getShape();
        NDArray y = weight.reshape(outChannels, inChannels).matMul(x.reshape(s.get(0), inChannels, s.get(2) * s.get(3)));
        return y.add(bias.reshape(1, outChannels, 1)).reshape(s.get(0), outChannels, s.get(2), s.get(3));
    }

    private NDArray convolve(NDArray x, NDArray w, NDArray b) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** The same computation as an ONNX Conv node. */
    public String export(ModuleGraph g, String x) {
        return OnnxOps.conv2d(g.graph(), x, g.param(weight), g.param(bias), kernel, stride, padding);
    }
}
