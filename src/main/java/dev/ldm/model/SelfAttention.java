package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;
import java.util.List;

/** Multi-head self-attention over the image tokens, with q, k and v from one fused projection. */
public final class SelfAttention extends Module {
    private final int heads;
    private final NDArray scale;
    private final Linear qkv;
    private final Linear proj;

    public SelfAttention(NDManager m, Rng rng, int hidden, int heads) {
        this.heads = heads;
        this.scale = Attention.scale(m, hidden / heads);
        this.qkv = child("qkv", new Linear(m, rng, hidden, 3L * hidden));
        this.proj = child("proj", new Linear(m, rng, hidden, hidden));
    }

    /** x [B, T, D] → [B, T, D]. */
    public NDArray forward(NDArray x) {
        long[] s = x.getShape().getShape();
        long b = s[0], t = s[1], hd = s[2] / heads;
        NDList qkvs = qkv.forward(x)                                       // [B, T, 3D]
                .reshape(b, t, 3, heads, hd)                               // [B, T, 3, H, d]
                .transpose(2, 0, 3, 1, 4)                                  // [3, B, H, T, d]
                .split(3, 0);                                              // 3 × [1, B, H, T, d]
        NDArray q = qkvs.get(0).squeeze(0).mul(scale);                     // [B, H, T, d]
        NDArray k = qkvs.get(1).squeeze(0);                                // [B, H, T, d]
        NDArray v = qkvs.get(2).squeeze(0);                                // [B, H, T, d]
        NDArray out = Attention.attend(q, k, v, null);                     // [B, H, T, d]
        return proj.forward(Attention.mergeHeads(out));                    // [B, T, D]
    }

    /** {@link #forward} as ONNX: x [B, T, D] → [B, T, D]. */
    static String export(DiTGraph g, String prefix, String x) {
        DiTConfig c = g.config();
        int d = c.hidden();
        String qkv = g.reshape(g.linear(prefix + ".qkv", x, g.tokens(), d, 3L * d),
                0, 0, 3, c.heads(), c.headDim());                                    // [B, T, 3, H, d]
        String heads = g.transpose(qkv, 2, 0, 3, 1, 4);                              // [3, B, H, T, d]
        String q = g.graph().node("Mul", List.of(Attention.exportPick(g, heads, 0), Attention.exportScale(g))); // [B, H, T, d]
        String out = Attention.exportAttend(g, q, Attention.exportPick(g, heads, 1), Attention.exportPick(g, heads, 2),
                null);                                                               // [B, H, T, d]
        return g.linear(prefix + ".proj", Attention.exportMergeHeads(g, out), g.tokens(), d, d); // [B, T, D]
    }
}
