package dev.ldm.model;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DiT's ONNX graph while it is being written: the weights by their safetensors names, and the
 * operator patterns every block shares (a Linear as one Gemm, reshapes, transposes, constants).
 * Each block class writes its own nodes in a static {@code export} method beside its
 * {@code forward}, reading its weights from here by name, so the graph can be built from a live
 * model or from host weights (a file, an EMA copy) without starting the PyTorch engine: ONNX
 * sampling exports while DJL loads, in parallel.
 *
 * <p>Only standard opset-17 operators: Gemm, MatMul, Add, Mul, Sub, Div, Erf, Sigmoid, Sin, Cos,
 * LayerNormalization, Softmax, Reshape, Transpose, Split, Gather, Concat, Shape, Slice. ONNX Runtime
 * fuses some of them (erf GELU, SiLU, the transpose before a MatMul). Value names in comments follow
 * {@link DiT}'s legend (B batch, T image tokens, D width, L text tokens, H heads, d head width).
 */
final class DiTGraph {
    private final OnnxGraph g;
    private final Map<String, Tensor> weights;
    private final DiTConfig config;
    /** The patch grid the weights were trained on; the position embedding is interpolated from it. */
    private final int positionGrid;
    private final String source;
    /** Names of the weights the graph has taken, to refuse the ones it has not. */
    private final Set<String> used = new HashSet<>();
    /** Concat outputs [B, N, out] by (lead, out), made once each. */
    private final Map<String, String> shapes = new HashMap<>();
    private String tokens;
    private String textTokens;

    /**
     * A graph of the model {@code trained} drawing latents of side {@code side}; {@code source}
     * names the weights in error messages (a file, or "DiT").
     */
    DiTGraph(OnnxGraph g, Map<String, Tensor> weights, DiTConfig trained, int side, String source) {
        this.g = g;
        this.weights = weights;
        this.config = trained.withInputSize(side);
        this.positionGrid = trained.grid();
        this.source = source;
    }

    OnnxGraph graph() {
        return g;
    }

    /** The config at the graph's latent side (its {@code inputSize}), which fixes every shape. */
    DiTConfig config() {
        return config;
    }

    /** The trained patch grid. */
    int positionGrid() {
        return positionGrid;
    }

    /**
     * {@link dev.ldm.nn.Linear} on rows: x [N, in] → x·Wᵀ + b [N, out], one Gemm (bias fused, W in
     * its stored [out, in] layout).
     */
    String linear(String prefix, String x, long in, long out) {
        return g.node("Gemm", List.of(x, param(prefix + ".weight", out, in), param(prefix + ".bias", out)),
                OnnxAttribute.of("transB", 1L));
    }

    /**
     * {@link dev.ldm.nn.Linear} on [B, N, in] (N image or text tokens) as one Gemm over B·N rows;
     * {@code lead} is the int64 value [B, N] the result is shaped back to ([B, N, out]). ONNX
     * Runtime fuses the bias of a Gemm but not of a 3-D MatMul.
     */
    String linear(String prefix, String x, String lead, long in, long out) {
        String rows = reshape(x, -1, in);                                            // [B·N, in]
        String key = lead + "_by_" + out;
        if (!shapes.containsKey(key)) {
            String width = g.int64Initializer(g.fresh("width"), new long[] {1}, out);
            shapes.put(key, g.node("Concat", List.of(lead, width), OnnxAttribute.of("axis", 0L)));
        }
        return g.node("Reshape", List.of(linear(prefix, rows, in, out), shapes.get(key))); // [B, N, out]
    }

    /**
     * Computes, once per graph, the leading dims that {@link #linear} shapes its rows back to:
     * [B, T] of the image tokens (from the latent input x) and [B, L] of the text states.
     */
    void bindInputs(String x, String text) {
        tokens = lead(x, config.tokens());
        textTokens = g.node("Slice", List.of(g.node("Shape", List.of(text)), ints(0), ints(2)));
    }

    /** [B, T] of the image tokens. */
    String tokens() {
        return tokens;
    }

    /** [B, L] of the text tokens. */
    String textTokens() {
        return textTokens;
    }

    private String lead(String batched, long n) {
        String shape = g.node("Shape", List.of(batched));
        String b = g.node("Slice", List.of(shape, ints(0), ints(1)));                // [1]: B
        return g.node("Concat", List.of(b, ints(n)), OnnxAttribute.of("axis", 0L));  // [2]: B, n
    }

    String ints(long value) {
        String name = "int64_" + value;
        return g.hasInitializer(name) ? name : g.int64Initializer(name, new long[] {1}, value);
    }

    /** Reshape to constant dims; 0 copies the input's dimension (the dynamic batch), -1 is inferred. */
    String reshape(String x, long... dims) {
        String shape = g.int64Initializer(g.fresh("shape"), new long[] {dims.length}, dims);
        return g.node("Reshape", List.of(x, shape));
    }

    String transpose(String x, long... perm) {
        return g.node("Transpose", List.of(x), OnnxAttribute.ints("perm", perm));
    }

    /** A shared float scalar (shape [1], broadcast everywhere). */
    String scalar(String name, float value) {
        return constant(name, new float[] {value}, 1);
    }

    /** A float initializer of the parameter's safetensors name, which must have this shape. */
    String param(String name, long... shape) {
        if (!g.hasInitializer(name)) {
            g.initializer(name, weight(name, shape));
        }
        return name;
    }

    /** After the whole graph: a tensor that no layer used is not a weight of this DiT. */
    void requireAllUsed() {
        for (String name : weights.keySet()) {
            if (!used.contains(name)) {
                throw LdmException.badInput(source + ": unexpected tensor '" + name
                        + "' (the weights belong to a different architecture)");
            }
        }
    }

    String constant(String name, float[] values, long... shape) {
        if (!g.hasInitializer(name)) {
            g.initializer(name, new Tensor(shape, values));
        }
        return name;
    }

    private Tensor weight(String name, long... shape) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw LdmException.badInput(source + ": missing tensor '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw LdmException.badInput(source + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + " but the model config needs "
                    + Arrays.toString(shape));
        }
        used.add(name);
        return t;
    }

    static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }
}
