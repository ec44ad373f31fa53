package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
}
