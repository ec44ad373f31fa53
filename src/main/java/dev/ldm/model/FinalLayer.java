package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.util.Rng;
import java.util.List;

/**
 * DiT's last layer: adaLN-modulated LayerNorm, then a Linear to one patch of output values per
 * token. Its linear is zeroed at initialisation, so the model's output starts at exactly zero.
 */
public final class FinalLayer extends Module {
    private final LayerNorm norm;
    private final Linear linear;
    private final Modulation adaLN;

    public FinalLayer(NDManager m, Rng rng, int hidden, int patchDim) {
        this.norm = child("norm_final", new LayerNorm(m, hidden, false));
        this.linear = child("linear", new Linear(m, rng, hidden, patchDim));
        this.adaLN = child("adaLN_modulation", new Modulation(m, rng, hidden, 2));
    }

    /** x [B, T, D], SiLU(c) [B, D] → [B, T, p·p·C]. */
    public NDArray forward(NDArray x, NDArray siluC) {
        NDList mod = adaLN.forward(siluC);                                 // 2 × [B, 1, D]
        NDArray h = Modulation.modulate(norm.forward(x), mod.get(0), mod.get(1)); // [B, T, D]
        return linear.forward(h);                                          // [B, T, p·p·C]
    }

    Modulation modulation() {
        return adaLN;
    }

    Linear linear() {
        return linear;
    }

    /** {@link #forward} as ONNX: x [B, T, D], SiLU(c) [B, D] → [B, T, p·p·C]. */
    static String export(DiTGraph g, String prefix, String x, String siluC) {
        List<String> mod = Modulation.export(g, prefix + ".adaLN_modulation", siluC, 2); // 2 × [B, 1, D]
        String h = Modulation.exportModulate(g, LayerNorm.export(g, null, x), mod.get(0), mod.get(1)); // [B, T, D]
        return g.linear(prefix + ".linear", h, g.tokens(), g.config().hidden(), g.config().patchDim()); // [B, T, p·p·C]
    }
}
