package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import java.util.List;

/**
 * Multi-head scaled dot-product attention as batched matrix products. DJL 0.35's PyTorch engine
 * exposes no fused {@code scaled_dot_product_attention}, so scores are materialised: at DiT's
 * token counts (tens to a few hundred) they are small next to the projections.
 */
final class Attention {
    /** Added to the score of a padding key: exp underflows to exactly 0 after the softmax. */
    static final float MASKED = -1e9f;

    private Attention() {}

    /**
     * softmax(q·kᵀ + bias)·v over the last two axes. q must already carry the 1/√d scale (scaling
     * q, the smaller tensor, also makes the contiguous copy that the product needs).
     *
     * @param q    [B, H, T, d], scaled
     * @param k    [B, H, S, d]
     * @param v    [B, H, S, d]
     * @param bias [B, 1, 1, S] additive key mask (0 or {@link #MASKED}), or null
     * @return [B, H, T, d]
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                 // [B, H, T, S]
        if (bias != null) {
            scores = scores.add(bias);                                       // [B, H, T, S]
        }
        return scores.softmax(-1).matMul(v);                                 // [B, H, T, d]
    }

    /** [B, H, T, d] → [B, T, H·d]. */
    static NDArray mergeHeads(NDArray x) {
        long[] s = x.getShape().getShape();
        return x.transpose(0, 2, 1, 3).reshape(s[0], s[2], s[1] * s[3]);    // [B, T, D]
    }

    /**
     * The 1/√d factor for head width d, as a scalar tensor in engine-owned memory. Never multiply a
     * tensor that needs a gradient by a Java number ({@code mul(float)}): DJL wraps the number in a
     * tensor over a Java direct buffer that is freed once collected, yet autograd keeps that tensor
     * for the backward pass, which then reads freed memory (wrong gradients, sporadic NaN).
     */
    static NDArray scale(NDManager m, int headDim) {
        return m.full(new Shape(), (float) (1.0 / Math.sqrt(headDim)));
    }

    /** {@link #attend} as ONNX: softmax(q·kᵀ + bias)·v, q already scaled. */
    static String exportAttend(DiTGraph g, String q, String k, String v, String bias) {
        OnnxGraph graph = g.graph();
        String scores = graph.node("MatMul", List.of(q, g.transpose(k, 0, 1, 3, 2))); // [B, H, T, S]
        if (bias != null) {
            scores = graph.node("Add", List.of(scores, bias));                       // [B, H, T, S]
        }
        String p = graph.node("Softmax", List.of(scores), OnnxAttribute.of("axis", -1L));
        return graph.node("MatMul", List.of(p, v));                                  // [B, H, T, d]
    }

    /** {@link #mergeHeads} as ONNX: [B, H, T, d] → [B, T, H·d]. */
    static String exportMergeHeads(DiTGraph g, String x) {
        return g.reshape(g.transpose(x, 0, 2, 1, 3), 0, 0, g.config().hidden());
    }

    /** {@code x[index]} along axis 0, dropping that axis (one of q, k, v stacked by the projections). */
    static String exportPick(DiTGraph g, String x, long index) {
        String i = "index_" + index;
        if (!g.graph().hasInitializer(i)) {
            g.graph().int64Initializer(i, new long[0], index);
        }
        return g.graph().node("Gather", List.of(x, i), OnnxAttribute.of("axis", 0L));
    }

    /** 1/√d as a shared ONNX scalar. */
    static String exportScale(DiTGraph g) {
        return g.scalar("attention_scale", (float) (1.0 / Math.sqrt(g.config().headDim())));
    }
}
