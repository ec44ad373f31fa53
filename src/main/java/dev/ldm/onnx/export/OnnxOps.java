package dev.ldm.onnx.export;

import java.util.List;

/**
 * The few ONNX operators ldm's networks are made of, each written to match the DJL/PyTorch op it
 * replaces exactly (the DJL-versus-ONNX Runtime agreement tests hold them to that).
 */
public final class OnnxOps {
    private OnnxOps() {}

    /** 2-D convolution, square kernel, symmetric padding: PyTorch {@code conv2d(x, w, b, stride, padding)}. */
    public static String conv2d(OnnxGraph g, String x, String weight, String bias, int kernel, int stride, int padding) {
        return g.node("Conv", List.of(x, weight, bias),
                OnnxAttribute.ints("kernel_shape", kernel, kernel),
                OnnxAttribute.ints("strides", stride, stride),
                OnnxAttribute.ints("pads", padding, padding, padding, padding),
                OnnxAttribute.ints("dilations", 1, 1),
                OnnxAttribute.of("group", 1L));
    }

    /** SiLU as Sigmoid then Mul (opset 17 has no SiLU operator). */
    public static String silu(OnnxGraph g, String x) {
        String s = g.node("Sigmoid", List.of(x));
        return g.node("Mul", List.of(x, s));
    }

    public static String add(OnnxGraph g, String a, String b) {
        return g.node("Add", List.of(a, b));
    }

    /**
     * Nearest-neighbour 2× upsampling of an NCHW tensor: output pixel (i, j) copies input
     * (floor(i/2), floor(j/2)), which is what {@code repeat(2, axis)} on H and W computes.
     */
    public static String upsampleNearest2x(OnnxGraph g, String x) {
        String scales = "resize_scales_2x";
        if (!g.hasInitializer(scales)) {
            g.initializer(scales, new dev.ldm.io.Tensor(new long[] {4}, new float[] {1, 1, 2, 2}));
        }
        return g.node("Resize", List.of(x, "", scales),
                OnnxAttribute.of("mode", "nearest"),
                OnnxAttribute.of("coordinate_transformation_mode", "asymmetric"),
                OnnxAttribute.of("nearest_mode", "floor"));
    }

    /** {@code x[:, start:end]} along {@code axis} with constant bounds. */
    public static String slice(OnnxGraph g, String x, int axis, long start, long end) {
        String base = g.fresh("slice");
        String starts = g.int64Initializer(base + "_starts", new long[] {1}, start);
        String ends = g.int64Initializer(base + "_ends", new long[] {1}, end);
        String axes = g.int64Initializer(base + "_axes", new long[] {1}, axis);
        return g.node("Slice", List.of(x, starts, ends, axes));
    }
}
