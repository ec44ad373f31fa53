package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.export.OnnxOps;
import dev.ldm.util.Rng;

/**
 * Projects the pooled prompt embedding into the conditioning space (Linear → SiLU → Linear, as
 * SD3's pooled-text projection); it is added to the timestep embedding, so the prompt also steers
 * every adaLN modulation, not only the cross-attention.
 */
public final class PooledTextEmbedder extends Module {
    private final Linear fc1;
    private final Linear fc2;

    public PooledTextEmbedder(NDManager m, Rng rng, int textDim, int hidden) {
        this.fc1 = child("fc1", new Linear(m, rng, textDim, hidden));
        this.fc2 = child("fc2", new Linear(m, rng, hidden, hidden));
    }

    /** pooled [B, textDim] → [B, D]. */
    public NDArray forward(NDArray pooled) {
        return fc2.forward(Nd.silu(fc1.forward(pooled)));                  // [B, D]
    }

    /** {@link #forward} as ONNX: Linear → SiLU → Linear on [B, in]. */
    static String export(DiTGraph g, String prefix, String x, long in) {
        int d = g.config().hidden();
        return g.linear(prefix + ".fc2", OnnxOps.silu(g.graph(), g.linear(prefix + ".fc1", x, in, d)), d, d); // [B, D]
    }
}
