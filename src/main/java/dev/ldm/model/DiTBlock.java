package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Module;
import dev.ldm.onnx.export.OnnxGraph;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * One DiT block with text cross-attention (the PixArt-α layout): adaLN-Zero-modulated
 * self-attention, then un-modulated cross-attention to the text tokens (LayerNorm before it,
 * residual after), then the adaLN-Zero-modulated MLP. The gates start at zero, so at
 * initialisation the block is the identity.
 */
public final class DiTBlock extends Module {
    private final LayerNorm norm1;
    private final SelfAttention attn;
    private final LayerNorm normCross;
    private final CrossAttention crossAttn;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final Modulation adaLN;

    public DiTBlock(NDManager m, Rng rng, DiTConfig config) {
        int d = config.hidden();
        this.norm1 = child("norm1", new LayerNorm(m, d, false));
        this.attn = child("attn", new SelfAttention(m, rng, d, config.heads()));
        this.normCross = child("norm_cross", new LayerNorm(m, d, true));
        this.crossAttn = child("cross_attn", new CrossAttention(m, rng, d, config.heads()));
        this.norm2 = child("norm2", new LayerNorm(m, d, false));
        this.mlp = child("mlp", new Mlp(m, rng, d, config.mlpHidden()));
        this.adaLN = child("adaLN_modulation", new Modulation(m, rng, d, 6));
    }

    /**
     * x [B, T, D], SiLU(c) [B, D], text context [B, L, D], key bias [B, 1, 1, L] → [B, T, D].
     */
    public NDArray forward(NDArray x, NDArray siluC, NDArray context, NDArray bias) {
        NDList mod = adaLN.forward(siluC);                                 // 6 × [B, 1, D]
        NDArray shiftMsa = mod.get(0), scaleMsa = mod.get(1), gateMsa = mod.get(2);
        NDArray shiftMlp = mod.get(3), scaleMlp = mod.get(4), gateMlp = mod.get(5);
        NDArray h = Modulation.modulate(norm1.forward(x), shiftMsa, scaleMsa); // [B, T, D]
        x = x.add(gateMsa.mul(attn.forward(h)));                          // [B, T, D]
        x = x.add(crossAttn.forward(normCross.forward(x), context, bias)); // [B, T, D]
        h = Modulation.modulate(norm2.forward(x), shiftMlp, scaleMlp);    // [B, T, D]
        return x.add(gateMlp.mul(mlp.forward(h)));                        // [B, T, D]
    }

    Modulation modulation() {
        return adaLN;
    }

    CrossAttention crossAttention() {
        return crossAttn;
    }

    /** {@link #forward} as ONNX: x [B, T, D], SiLU(c) [B, D], context [B, L, D], bias [B, 1, 1, L] → [B, T, D]. */
    static String export(DiTGraph g, String prefix, String x, String siluC, String context, String bias) {
        OnnxGraph graph = g.graph();
        List<String> mod = Modulation.export(g, prefix + ".adaLN_modulation", siluC, 6); // 6 × [B, 1, D]
        String h = Modulation.exportModulate(g, LayerNorm.export(g, null, x), mod.get(0), mod.get(1)); // [B, T, D]
        String attn = SelfAttention.export(g, prefix + ".attn", h);                  // [B, T, D]
        x = graph.node("Add", List.of(x, graph.node("Mul", List.of(mod.get(2), attn)))); // [B, T, D]
        h = LayerNorm.export(g, prefix + ".norm_cross", x);                          // [B, T, D]
        x = graph.node("Add", List.of(x, CrossAttention.export(g, prefix + ".cross_attn", h, context, bias))); // [B, T, D]
        h = Modulation.exportModulate(g, LayerNorm.export(g, null, x), mod.get(3), mod.get(4)); // [B, T, D]
        String mlp = Mlp.export(g, prefix + ".mlp", h);                               // [B, T, D]
        return graph.node("Add", List.of(x, graph.node("Mul", List.of(mod.get(5), mlp)))); // [B, T, D]
    }
}
