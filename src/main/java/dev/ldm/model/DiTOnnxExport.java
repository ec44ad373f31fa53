package dev.ldm.model;

import dev.ldm.io.Tensor;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxGraph.Dim;
import dev.ldm.onnx.export.OnnxModelWriter;
import dev.ldm.onnx.export.OnnxOps;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link DiT} as one ONNX graph computing {@link DiT#forward}, so that sampling can run
 * the denoiser in ONNX Runtime: at ldm's widths (128) a forward pass is a few hundred small
 * operators, and the per-operator cost of the eager engine, not arithmetic, dominates it.
 *
 * <p>Inputs (all float; batch and text length symbolic): {@code x} [batch, C, S, S], {@code t}
 * [batch], {@code text} [batch, text_length, E], {@code mask} [batch, text_length] (1 token, 0
 * padding), {@code pooled} [batch, E]. Output {@code velocity} [batch, C, S, S]. Each weight is an
 * initializer under its safetensors name (a Linear is one Gemm in PyTorch's [out, in] layout).
 */
public final class DiTOnnxExport {
    public static final String X = "x";
    public static final String T = "t";
    public static final String TEXT = "text";
    public static final String MASK = "mask";
    public static final String POOLED = "pooled";
    public static final String OUTPUT = "velocity";

    private DiTOnnxExport() {}

    /** The graph of a live model (with its current weights). */
    public static OnnxGraph graph(DiT dit) {
        refuseAdapters(dit);
        return graph(dit.config(), dit.stateDict(), "DiT");
    }

    /**
     * The graph of a DiT of this config with these host weights (read from a file, or an EMA copy).
     * Like {@link dev.ldm.nn.Module#loadStateDict}, it refuses missing, extra and mis-shaped tensors
     * (bad input naming {@code source}), so the weights need no DJL model to be checked.
     */
    public static OnnxGraph graph(DiTConfig c, Map<String, Tensor> weights, String source) {
        OnnxGraph graph = new OnnxGraph("ldm_dit");
        DiTOnnxLayers g = new DiTOnnxLayers(graph, weights, c, source);
        Dim batch = Dim.named("batch"), length = Dim.named("text_length");
        Dim[] latent = {batch, Dim.of(c.inChannels()), Dim.of(c.inputSize()), Dim.of(c.inputSize())};
        String x = graph.input(X, latent);
        String t = graph.input(T, batch);
        String text = graph.input(TEXT, batch, length, Dim.of(c.textDim()));
        String mask = graph.input(MASK, batch, length);
        String pooled = graph.input(POOLED, batch, Dim.of(c.textDim()));
        graph.output(forward(g, c, x, t, text, mask, pooled), OUTPUT, latent);
        g.requireAllUsed();
        return graph;
    }

    /** The serialised model, for ONNX Runtime to load from memory. */
    public static byte[] toBytes(DiT dit) {
        return OnnxModelWriter.toBytes(graph(dit));
    }

    /** The serialised model of host weights, checked as {@link #graph(DiTConfig, Map, String)} checks them. */
    public static byte[] toBytes(DiTConfig c, Map<String, Tensor> weights, String source) {
        return OnnxModelWriter.toBytes(graph(c, weights, source));
    }

    /** {@link DiT#forward}, node for node. */
    private static String forward(DiTOnnxLayers g, DiTConfig c, String x, String t, String text, String mask,
            String pooled) {
        OnnxGraph graph = g.graph();
        g.bindInputs(x, text);
        String h = g.linear("x_embedder.proj", patchify(g, c, x), g.tokens(), c.patchDim(), c.hidden()); // [B, T, D]
        String pos = graph.initializer("pos_embed",
                new Tensor(new long[] {1, c.tokens(), c.hidden()}, SinCos.positions2d(c.hidden(), c.grid())));
        h = graph.node("Add", List.of(h, pos));                                      // [B, T, D]
        String pooledC = g.mlpSilu("pooled_embedder", pooled, c.textDim());          // [B, D]
        String cond = graph.node("Add", List.of(timestep(g, t), pooledC));           // [B, D]
        String siluC = OnnxOps.silu(graph, cond);                                    // [B, D]
        String context = g.linear("context_proj", text, g.textTokens(), c.textDim(), c.hidden()); // [B, L, D]
        String bias = g.reshape(graph.node("Mul", List.of(graph.node("Sub", List.of(mask, g.scalar("one", 1f))),
                g.scalar("mask_scale", -Attention.MASKED))), 0, 1, 1, -1);           // [B, 1, 1, L]
        for (int i = 0; i < c.depth(); i++) {
            h = g.block("blocks." + i, h, siluC, context, bias);                     // [B, T, D]
        }
        h = g.finalLayer("final_layer", h, siluC);                                   // [B, T, p·p·C]
        return unpatchify(g, c, h);                                                  // [B, C, H, W]
    }

    /** {@link TimestepEmbedder}: t [B] → [B, D]. */
    private static String timestep(DiTOnnxLayers g, String t) {
        OnnxGraph graph = g.graph();
        float[] f = SinCos.frequencies(TimestepEmbedder.FREQUENCY_DIM / 2);
        for (int i = 0; i < f.length; i++) {
            f[i] *= TimestepEmbedder.T_SCALE;
        }
        String freqs = graph.initializer("t_embedder.freqs", new Tensor(new long[] {1, f.length}, f));
        String args = graph.node("Mul", List.of(g.reshape(t, -1, 1), freqs));        // [B, F/2]
        String emb = graph.node("Concat", List.of(graph.node("Cos", List.of(args)), graph.node("Sin", List.of(args))),
                OnnxAttribute.of("axis", 1L));                                       // [B, F]
        return g.mlpSilu("t_embedder", emb, TimestepEmbedder.FREQUENCY_DIM);         // [B, D]
    }

    /** {@link Patchify#patchify}: [B, C, H, W] → [B, T, p·p·C]. */
    private static String patchify(DiTOnnxLayers g, DiTConfig c, String x) {
        int p = c.patchSize(), n = c.grid();
        if (p == 1) {
            return g.transpose(g.reshape(x, 0, c.inChannels(), -1), 0, 2, 1);        // [B, T, C]
        }
        String s = g.reshape(x, 0, c.inChannels(), n, p, n, p);                      // [B, C, h, p, w, q]
        return g.reshape(g.transpose(s, 0, 2, 4, 3, 5, 1), 0, c.tokens(), c.patchDim()); // [B, T, p·p·C]
    }

    /** {@link Patchify#unpatchify}: [B, T, p·p·C] → [B, C, H, W]. */
    private static String unpatchify(DiTOnnxLayers g, DiTConfig c, String h) {
        int p = c.patchSize(), n = c.grid(), side = c.inputSize();
        if (p == 1) {
            return g.reshape(g.transpose(h, 0, 2, 1), 0, c.inChannels(), side, side); // [B, C, H, W]
        }
        String s = g.reshape(h, 0, n, n, p, p, c.inChannels());                      // [B, h, w, p, q, C]
        return g.reshape(g.transpose(s, 0, 5, 1, 3, 2, 4), 0, c.inChannels(), side, side); // [B, C, H, W]
    }

    /** A LoRA being trained changes what forward computes without changing the weights: merge it first. */
    private static void refuseAdapters(DiT dit) {
        for (Map.Entry<String, Module> e : dit.modules().entrySet()) {
            if (e.getValue() instanceof Linear l && l.adapter() != null) {
                throw new IllegalStateException("DiT ONNX export: layer " + e.getKey()
                        + " has a weight adapter (LoRA); merge it into the weights before exporting");
            }
        }
    }
}
