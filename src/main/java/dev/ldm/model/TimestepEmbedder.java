package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * Embeds the flow time t ∈ [0, 1] as DiT embeds its integer timestep: the sinusoidal frequency
 * embedding of {@code t·T_SCALE} (so t spans the same range as DiT's 0..999 steps and the
 * frequencies resolve small differences in t), then Linear → SiLU → Linear.
 */
public final class TimestepEmbedder extends Module {
    /** Width of the frequency embedding (DiT's {@code frequency_embedding_size}). */
    public static final int FREQUENCY_DIM = 256;
    /** t ∈ [0, 1] is scaled to [0, 1000] before the sinusoids. */
    public static final float T_SCALE = 1000f;

    private final NDArray freqs;
    private final Linear fc1;
    private final Linear fc2;

    public TimestepEmbedder(NDManager m, Rng rng, int hidden) {
        float[] f = SinCos.frequencies(FREQUENCY_DIM / 2);
        for (int i = 0; i < f.length; i++) {
            f[i] *= T_SCALE;                                                // fold t·1000 into the table
        }
        this.freqs = m.create(f, new Shape(1, FREQUENCY_DIM / 2));
        this.fc1 = child("fc1", new Linear(m, rng, FREQUENCY_DIM, hidden));
        this.fc2 = child("fc2", new Linear(m, rng, hidden, hidden));
    }

    /** t [B] → [B, hidden]. */
    public NDArray forward(NDArray t) {
        NDArray args = t.reshape(-1, 1).mul(freqs);                             // [B, F/2]
        NDArray emb = NDArrays.concat(new NDList(args.cos(), args.sin()), 1);   // [B, F]
        return fc2.forward(Nd.silu(fc1.forward(emb)));                          // [B, D]
    }

    /** The two MLP layers, for {@link DiT}'s weight initialisation. */
    Linear[] layers() {
        return new Linear[] {fc1, fc2};
    }

    /** {@link #forward} as ONNX: t [B] → [B, D] (the MLP is {@link PooledTextEmbedder}'s). */
    static String export(DiTGraph g, String prefix, String t) {
        OnnxGraph graph = g.graph();
        float[] f = SinCos.frequencies(FREQUENCY_DIM / 2);
        for (int i = 0; i < f.length; i++) {
            f[i] *= T_SCALE;
        }
        String freqs = graph.initializer(prefix + ".freqs", new Tensor(new long[] {1, f.length}, f));
        String args = graph.node("Mul", List.of(g.reshape(t, -1, 1), freqs));        // [B, F/2]
        String emb = graph.node("Concat", List.of(graph.node("Cos", List.of(args)), graph.node("Sin", List.of(args))),
                OnnxAttribute.of("axis", 1L));                                       // [B, F]
        return PooledTextEmbedder.export(g, prefix, emb, FREQUENCY_DIM);             // [B, D]
    }
}
