package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * Multi-head cross-attention from the image tokens (queries) to the projected text tokens (keys
 * and values, from one fused projection), with padding tokens masked out of every softmax.
 */
public final class CrossAttention extends Module {
    private final int heads;
    private final NDArray scale;
    private final Linear q;
    private final Linear kv;
    private final Linear proj;

    public CrossAttention(NDManager m, Rng rng, int hidden, int heads) {
        this.heads = heads;
        this.scale = Attention.scale(m, hidden / heads);
        this.q = child("q", new Linear(m, rng, hidden, hidden));
        this.kv = child("kv", new Linear(m, rng, hidden, 2L * hidden));
        this.proj = child("proj", new Linear(m, rng, hidden, hidden));
    }

    /**
     * x [B, T, D], context [B, L, D], bias [B, 1, 1, L] (0 for a token, {@link Attention#MASKED} for
     * padding) → [B, T, D].
     */
    public NDArray forward(NDArray x, NDArray context, NDArray bias) {
        long[] s = x.getShape().getShape();
        long b = s[0], t = s[1], hd = s[2] / heads, l = context.getShape().get(1);
        NDArray qh = q.forward(x)                                          // [B, T, D]
                .reshape(b, t, heads, hd)                                  // [B, T, H, d]
                .transpose(0, 2, 1, 3)                                     // [B, H, T, d]
                .mul(scale);                                               // [B, H, T, d]
        NDList kvs = kv.forward(context)                                   // [B, L, 2D]
                .reshape(b, l, 2, heads, hd)                               // [B, L, 2, H, d]
                .transpose(2, 0, 3, 1, 4)                                  // [2, B, H, L, d]
                .split(2, 0);                                              // 2 × [1, B, H, L, d]
        NDArray out = Attention.attend(qh, kvs.get(0).squeeze(0),
                kvs.get(1).squeeze(0), bias);                              // [B, H, T, d]
        return proj.forward(Attention.mergeHeads(out));                    // [B, T, D]
    }

    /** The output projection, zeroed at initialisation so each block starts as a plain DiT block. */
    Linear output() {
        return proj;
    }

    /** {@link #forward} as ONNX: x [B, T, D], context [B, L, D], bias [B, 1, 1, L] → [B, T, D]. */
    static String export(DiTGraph g, String prefix, String x, String context, String bias) {
        DiTConfig c = g.config();
        int d = c.hidden();
        String q = g.reshape(g.linear(prefix + ".q", x, g.tokens(), d, d),
                0, 0, c.heads(), c.headDim());                                       // [B, T, H, d]
        q = g.graph().node("Mul", List.of(g.transpose(q, 0, 2, 1, 3), Attention.exportScale(g))); // [B, H, T, d]
        String kv = g.reshape(g.linear(prefix + ".kv", context, g.textTokens(), d, 2L * d),
                0, 0, 2, c.heads(), c.headDim());                                    // [B, L, 2, H, d]
        String heads = g.transpose(kv, 2, 0, 3, 1, 4);                               // [2, B, H, L, d]
        String out = Attention.exportAttend(g, q, Attention.exportPick(g, heads, 0), Attention.exportPick(g, heads, 1),
                bias);                                                               // [B, H, T, d]
        return g.linear(prefix + ".proj", Attention.exportMergeHeads(g, out), g.tokens(), d, d); // [B, T, D]
    }
}
