package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * The transformer MLP: Linear → GELU → Linear.
 *
 * <p>GELU is the exact (erf) form, one native kernel, not DiT's tanh approximation: DJL 0.35 exposes
 * no approximate GELU, and composing the tanh form from eight element-wise ops made forward plus
 * backward of this activation about 5× slower (20 ms against 4 ms on [32, 64, 1024], 2 cores),
 * about 15% of a whole training step. The two differ by under 1e-3 and ldm trains from scratch.
 */
public final class Mlp extends Module {
    private final Linear fc1;
    private final Linear fc2;

    public Mlp(NDManager m, Rng rng, int dim, int hiddenDim) {
        this.fc1 = child("fc1", new Linear(m, rng, dim, hiddenDim));
        this.fc2 = child("fc2", new Linear(m, rng, hiddenDim, dim));
    }

    /** x [..., D] → [..., D]. */
    public NDArray forward(NDArray x) {
        return fc2.forward(Activation.gelu(fc1.forward(x)));              // [..., D]
    }

    /** {@link #forward} on [B, T, D] as ONNX: Linear → exact (erf) GELU → Linear. */
    static String export(DiTGraph g, String prefix, String x) {
        int d = g.config().hidden(), m = g.config().mlpHidden();
        String h = gelu(g, g.linear(prefix + ".fc1", x, g.tokens(), d, m));          // [B, T, M]
        return g.linear(prefix + ".fc2", h, g.tokens(), m, d);                       // [B, T, D]
    }

    /** Exact GELU, x·(1 + erf(x/√2))/2, as PyTorch's default; ONNX Runtime fuses it into one kernel. */
    private static String gelu(DiTGraph g, String x) {
        OnnxGraph graph = g.graph();
        String erf = graph.node("Erf", List.of(graph.node("Div", List.of(x, g.scalar("sqrt2", (float) Math.sqrt(2))))));
        String onePlus = graph.node("Add", List.of(erf, g.scalar("one", 1f)));
        return graph.node("Mul", List.of(graph.node("Mul", List.of(x, onePlus)), g.scalar("half", 0.5f)));
    }
}
