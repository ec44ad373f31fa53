package dev.ldm.model;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxOps;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DiT's layers as ONNX nodes, one method per block class of this package, each emitting what
 * that block's {@code forward} computes with the same weights (read by their safetensors names, so
 * the graph can be built from a live model or from host weights such as an EMA copy).
 *
 * <p>Only standard opset-17 operators: Gemm, MatMul, Add, Mul, Sub, Div, Erf, Sigmoid, Sin, Cos,
 * LayerNormalization, Softmax, Reshape, Transpose, Split, Gather, Concat, Shape, Slice. ONNX Runtime
 * fuses some of them (erf GELU, SiLU, the transpose before a MatMul). Value names in comments follow
 * {@link DiT}'s legend (B batch, T image tokens, D width, L text tokens, H heads, d head width).
 */
final class DiTOnnxLayers {
    private final OnnxGraph g;
    private final Map<String, Tensor> weights;
    private final DiTConfig config;
    private final String source;
    /** Names of the weights the graph has taken, to refuse the ones it has not. */
    private final Set<String> used = new HashSet<>();
    /** Concat outputs [B, N, out] by (lead, out), made once each. */
    private final Map<String, String> shapes = new HashMap<>();
    private String tokens;
    private String textTokens;

    /** {@code source} names the weights in error messages (a file, or "DiT"). */
    DiTOnnxLayers(OnnxGraph g, Map<String, Tensor> weights, DiTConfig config, String source) {
        this.g = g;
        this.weights = weights;
        this.config = config;
        this.source = source;
    }

    OnnxGraph graph() {
        return g;
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

    private String ints(long value) {
        String name = "int64_" + value;
        return g.hasInitializer(name) ? name : g.int64Initializer(name, new long[] {1}, value);
    }

    /** {@link LayerNorm} over the last axis; without {@code prefix} it has unit scale and zero shift. */
    String layerNorm(String prefix, String x) {
        int d = config.hidden();
        String gamma = prefix == null ? constant("ln_ones", filled(d, 1f), d) : param(prefix + ".weight", d);
        String beta = prefix == null ? constant("ln_zeros", filled(d, 0f), d) : param(prefix + ".bias", d);
        return g.node("LayerNormalization", List.of(x, gamma, beta),
                OnnxAttribute.of("axis", -1L), OnnxAttribute.of("epsilon", LayerNorm.EPS));
    }

    /** {@link Modulation}: SiLU(c) [B, D] → {@code count} vectors [B, 1, D]. */
    List<String> modulation(String prefix, String siluC, int count) {
        int d = config.hidden();
        String flat = linear(prefix + ".linear", siluC, d, (long) count * d);        // [B, n·D]
        String split = reshape(flat, 0, count, d);                                   // [B, n, D]
        return g.node("Split", List.of(split), count, OnnxAttribute.of("axis", 1L)); // n × [B, 1, D]
    }

    /** {@link Modulation#modulate}: x·(1 + scale) + shift. */
    String modulate(String x, String shift, String scale) {
        String onePlus = g.node("Add", List.of(scale, scalar("one", 1f)));           // [B, 1, D]
        return g.node("Add", List.of(g.node("Mul", List.of(x, onePlus)), shift));    // [B, T, D]
    }

    /** {@link Mlp} on [B, T, D]: Linear → exact (erf) GELU → Linear. */
    String mlp(String prefix, String x) {
        int d = config.hidden(), m = config.mlpHidden();
        String h = gelu(linear(prefix + ".fc1", x, tokens, d, m));                   // [B, T, M]
        return linear(prefix + ".fc2", h, tokens, m, d);                             // [B, T, D]
    }

    /** Exact GELU, x·(1 + erf(x/√2))/2, as PyTorch's default; ONNX Runtime fuses it into one kernel. */
    private String gelu(String x) {
        String erf = g.node("Erf", List.of(g.node("Div", List.of(x, scalar("sqrt2", (float) Math.sqrt(2))))));
        String onePlus = g.node("Add", List.of(erf, scalar("one", 1f)));
        return g.node("Mul", List.of(g.node("Mul", List.of(x, onePlus)), scalar("half", 0.5f)));
    }

    /** Linear → SiLU → Linear on [B, in] (the timestep MLP and {@link PooledTextEmbedder}). */
    String mlpSilu(String prefix, String x, long in) {
        int d = config.hidden();
        return linear(prefix + ".fc2", OnnxOps.silu(g, linear(prefix + ".fc1", x, in, d)), d, d); // [B, D]
    }

    /** {@link SelfAttention}: x [B, T, D] → [B, T, D]. */
    String selfAttention(String prefix, String x) {
        int d = config.hidden();
        String qkv = reshape(linear(prefix + ".qkv", x, tokens, d, 3L * d),
                0, 0, 3, config.heads(), config.headDim());                          // [B, T, 3, H, d]
        String heads = transpose(qkv, 2, 0, 3, 1, 4);                                // [3, B, H, T, d]
        String q = g.node("Mul", List.of(pick(heads, 0), attentionScale()));         // [B, H, T, d]
        String out = attend(q, pick(heads, 1), pick(heads, 2), null);                // [B, H, T, d]
        return linear(prefix + ".proj", mergeHeads(out), tokens, d, d);              // [B, T, D]
    }

    /** {@link CrossAttention}: x [B, T, D], context [B, L, D], bias [B, 1, 1, L] → [B, T, D]. */
    String crossAttention(String prefix, String x, String context, String bias) {
        int d = config.hidden();
        String q = reshape(linear(prefix + ".q", x, tokens, d, d),
                0, 0, config.heads(), config.headDim());                             // [B, T, H, d]
        q = g.node("Mul", List.of(transpose(q, 0, 2, 1, 3), attentionScale()));      // [B, H, T, d]
        String kv = reshape(linear(prefix + ".kv", context, textTokens, d, 2L * d),
                0, 0, 2, config.heads(), config.headDim());                          // [B, L, 2, H, d]
        String heads = transpose(kv, 2, 0, 3, 1, 4);                                 // [2, B, H, L, d]
        String out = attend(q, pick(heads, 0), pick(heads, 1), bias);                // [B, H, T, d]
        return linear(prefix + ".proj", mergeHeads(out), tokens, d, d);              // [B, T, D]
    }

    /** {@link DiTBlock}: x [B, T, D], SiLU(c) [B, D], context [B, L, D], bias [B, 1, 1, L] → [B, T, D]. */
    String block(String prefix, String x, String siluC, String context, String bias) {
        List<String> mod = modulation(prefix + ".adaLN_modulation", siluC, 6);       // 6 × [B, 1, D]
        String h = modulate(layerNorm(null, x), mod.get(0), mod.get(1));             // [B, T, D]
        String attn = selfAttention(prefix + ".attn", h);                            // [B, T, D]
        x = g.node("Add", List.of(x, g.node("Mul", List.of(mod.get(2), attn))));     // [B, T, D]
        h = layerNorm(prefix + ".norm_cross", x);                                    // [B, T, D]
        x = g.node("Add", List.of(x, crossAttention(prefix + ".cross_attn", h, context, bias))); // [B, T, D]
        h = modulate(layerNorm(null, x), mod.get(3), mod.get(4));                    // [B, T, D]
        String mlp = mlp(prefix + ".mlp", h);                                        // [B, T, D]
        return g.node("Add", List.of(x, g.node("Mul", List.of(mod.get(5), mlp))));   // [B, T, D]
    }

    /** {@link FinalLayer}: x [B, T, D], SiLU(c) [B, D] → [B, T, p·p·C]. */
    String finalLayer(String prefix, String x, String siluC) {
        List<String> mod = modulation(prefix + ".adaLN_modulation", siluC, 2);       // 2 × [B, 1, D]
        String h = modulate(layerNorm(null, x), mod.get(0), mod.get(1));             // [B, T, D]
        return linear(prefix + ".linear", h, tokens, config.hidden(), config.patchDim()); // [B, T, p·p·C]
    }

    /** {@link Attention#attend}: softmax(q·kᵀ + bias)·v, q already scaled. */
    private String attend(String q, String k, String v, String bias) {
        String scores = g.node("MatMul", List.of(q, transpose(k, 0, 1, 3, 2)));      // [B, H, T, S]
        if (bias != null) {
            scores = g.node("Add", List.of(scores, bias));                           // [B, H, T, S]
        }
        String p = g.node("Softmax", List.of(scores), OnnxAttribute.of("axis", -1L));
        return g.node("MatMul", List.of(p, v));                                      // [B, H, T, d]
    }

    /** {@link Attention#mergeHeads}: [B, H, T, d] → [B, T, H·d]. */
    private String mergeHeads(String x) {
        return reshape(transpose(x, 0, 2, 1, 3), 0, 0, config.hidden());
    }

    /** {@code x[index]} along axis 0, dropping that axis. */
    private String pick(String x, long index) {
        String i = "index_" + index;
        if (!g.hasInitializer(i)) {
            g.int64Initializer(i, new long[0], index);
        }
        return g.node("Gather", List.of(x, i), OnnxAttribute.of("axis", 0L));
    }

    private String attentionScale() {
        return scalar("attention_scale", (float) (1.0 / Math.sqrt(config.headDim())));
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

    private String constant(String name, float[] values, long... shape) {
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

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }
}
