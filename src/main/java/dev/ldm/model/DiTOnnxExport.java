package dev.ldm.model;

import dev.ldm.io.Tensor;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxGraph.Dim;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.onnx.export.OnnxModelWriter;
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
        return graph(dit, dit.config().inputSize());
    }

    /** The graph of a live model drawing latents of side {@code side} (see {@link DiT#forward}). */
    public static OnnxGraph graph(DiT dit, int side) {
        refuseAdapters(dit);
        return graph(dit.config(), side, dit.stateDict(), "DiT");
    }

    /**
     * The graph of a DiT of this config with these host weights (read from a file, or an EMA copy).
     * Like {@link dev.ldm.nn.Module#loadStateDict}, it refuses missing, extra and mis-shaped tensors
     * (bad input naming {@code source}), so the weights need no DJL model to be checked.
     */
    public static OnnxGraph graph(DiTConfig c, Map<String, Tensor> weights, String source) {
        return graph(c, c.inputSize(), weights, source);
    }

    /**
     * {@link #graph(DiTConfig, Map, String)} for latents of side {@code side}, a multiple of the patch
     * side: the weights of a model trained at {@code trained.inputSize()} on another grid, its
     * position embedding interpolated ({@link SinCos#positions2d(int, int, int)}).
     */
    public static OnnxGraph graph(DiTConfig trained, int side, Map<String, Tensor> weights, String source) {
        if (side <= 0 || side % trained.patchSize() != 0) {
            throw new IllegalArgumentException("DiT ONNX export: latent side " + side
                    + " is not a positive multiple of the patch side " + trained.patchSize());
        }
        OnnxGraph graph = new OnnxGraph("ldm_dit");
        DiTGraph g = new DiTGraph(graph, weights, trained, side, source);
        DiTConfig c = g.config();
        Dim batch = Dim.named("batch"), length = Dim.named("text_length");
        Dim[] latent = {batch, Dim.of(c.inChannels()), Dim.of(c.inputSize()), Dim.of(c.inputSize())};
        String x = graph.input(X, latent);
        String t = graph.input(T, batch);
        String text = graph.input(TEXT, batch, length, Dim.of(c.textDim()));
        String mask = graph.input(MASK, batch, length);
        String pooled = graph.input(POOLED, batch, Dim.of(c.textDim()));
        graph.output(DiT.export(g, x, t, text, mask, pooled), OUTPUT, latent);
        g.requireAllUsed();
        return graph;
    }

    /** The serialised model, for ONNX Runtime to load from memory. */
    public static byte[] toBytes(DiT dit) {
        return OnnxModelWriter.toBytes(graph(dit));
    }

    /** The serialised model drawing latents of side {@code side}. */
    public static byte[] toBytes(DiT dit, int side) {
        return OnnxModelWriter.toBytes(graph(dit, side));
    }

    /** The serialised model of host weights, checked as {@link #graph(DiTConfig, Map, String)} checks them. */
    public static byte[] toBytes(DiTConfig c, Map<String, Tensor> weights, String source) {
        return toBytes(c, c.inputSize(), weights, source);
    }

    /** The same, drawing latents of side {@code side}. */
    public static byte[] toBytes(DiTConfig trained, int side, Map<String, Tensor> weights, String source) {
        return OnnxModelWriter.toBytes(graph(trained, side, weights, source));
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
