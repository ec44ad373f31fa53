package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxAttribute;
import java.util.List;

/**
 * Layer normalisation over the last axis. With {@code affine} it learns a per-channel scale and
 * shift ({@code weight}, {@code bias}); without, as before an adaLN modulation, it has no
 * parameters and the fixed unit scale and zero shift are constants, not weights.
 */
public final class LayerNorm extends Module {
    /** DiT's epsilon for its LayerNorms. */
    public static final float EPS = 1e-6f;

    private final NDArray gamma;
    private final NDArray beta;
    private final Shape normalized;

    public LayerNorm(NDManager m, int dim, boolean affine) {
        NDArray ones = m.ones(new Shape(dim));
        NDArray zeros = m.zeros(new Shape(dim));
        this.gamma = affine ? param("weight", ones) : ones;
        this.beta = affine ? param("bias", zeros) : zeros;
        this.normalized = new Shape(dim);
    }

    /** x [..., D] → [..., D]. */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, gamma, beta, EPS).singletonOrThrow();
    }

    /** The same computation as ONNX: {@code prefix} names the affine weights, null for none. */
    static String export(DiTGraph g, String prefix, String x) {
        int d = g.config().hidden();
        String gamma = prefix == null ? g.constant("ln_ones", DiTGraph.filled(d, 1f), d) : g.param(prefix + ".weight", d);
        String beta = prefix == null ? g.constant("ln_zeros", DiTGraph.filled(d, 0f), d) : g.param(prefix + ".bias", d);
        return g.graph().node("LayerNormalization", List.of(x, gamma, beta),
                OnnxAttribute.of("axis", -1L), OnnxAttribute.of("epsilon", EPS));
    }
}
