package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxAttribute;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * adaLN: one Linear from SiLU(c) producing every shift, scale and gate vector of a block at once
 * (one matrix product instead of one per vector). Its weight and bias are zeroed at
 * initialisation (adaLN-Zero), so every gate starts closed and every scale at 1.
 */
public final class Modulation extends Module {
    private final int count;
    private final Linear linear;

    public Modulation(NDManager m, Rng rng, int hidden, int count) {
        this.count = count;
        this.linear = child("linear", new Linear(m, rng, hidden, (long) count * hidden));
    }

    /** SiLU(c) [B, D] → {@code count} vectors of [B, 1, D], ready to broadcast over tokens. */
    public NDList forward(NDArray siluC) {
        long[] s = siluC.getShape().getShape();
        return linear.forward(siluC)                                       // [B, n·D]
                .reshape(s[0], count, s[1])                                // [B, n, D]
                .split(count, 1);                                          // n × [B, 1, D]
    }

    /**
     * x·(1 + scale) + shift, for x [B, T, D] and shift, scale [B, 1, D]. (Adding a Java number is
     * safe under autograd, unlike multiplying by one: see {@link Attention#scale}.)
     */
    public static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return x.mul(scale.add(1)).add(shift);                             // [B, T, D]
    }

    Linear linear() {
        return linear;
    }

    /** {@link #forward} as ONNX: SiLU(c) [B, D] → {@code count} vectors [B, 1, D]. */
    static List<String> export(DiTGraph g, String prefix, String siluC, int count) {
        int d = g.config().hidden();
        String flat = g.linear(prefix + ".linear", siluC, d, (long) count * d);      // [B, n·D]
        String split = g.reshape(flat, 0, count, d);                                 // [B, n, D]
        return g.graph().node("Split", List.of(split), count, OnnxAttribute.of("axis", 1L)); // n × [B, 1, D]
    }

    /** {@link #modulate} as ONNX: x·(1 + scale) + shift. */
    static String exportModulate(DiTGraph g, String x, String shift, String scale) {
        String onePlus = g.graph().node("Add", List.of(scale, g.scalar("one", 1f)));  // [B, 1, D]
        return g.graph().node("Add", List.of(g.graph().node("Mul", List.of(x, onePlus)), shift)); // [B, T, D]
    }
}
