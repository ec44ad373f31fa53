package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny configs, seeded inputs and weight perturbation shared by the model tests. */
final class TinyDiT {
    static final int TEXT_DIM = 12;
    static final int TEXT_LENGTH = 5;

    private TinyDiT() {}

    /** The {@code tiny} preset on a 4×4×3 latent, patch 2 (4 tokens). */
    static DiTConfig config() {
        return DiTConfig.preset("tiny", 4, 3, TEXT_DIM, TEXT_LENGTH);
    }

    /**
     * Inputs (x, t, text, mask, pooled) for {@code batch} samples; sample i has {@code TEXT_LENGTH - i % 3}
     * real tokens, the rest padding.
     */
    static NDList inputs(NDManager m, DiTConfig c, int batch, long seed) {
        Rng rng = Rng.stream(seed, "inputs");
        int side = c.inputSize();
        NDArray x = m.create(rng.gaussian(batch * c.inChannels() * side * side),
                new Shape(batch, c.inChannels(), side, side));
        NDArray t = m.create(rng.uniform(batch, 0, 1), new Shape(batch));
        int l = c.textLength();
        NDArray text = m.create(rng.gaussian(batch * l * c.textDim()), new Shape(batch, l, c.textDim()));
        float[] mask = new float[batch * l];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < l - i % 3; j++) {
                mask[i * l + j] = 1;
            }
        }
        NDArray pooled = m.create(rng.gaussian(batch * c.textDim()), new Shape(batch, c.textDim()));
        return new NDList(x, t, text, m.create(mask, new Shape(batch, l)), pooled);
    }

    static NDArray forward(DiT dit, NDList in) {
        return dit.forward(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
    }

    /** Replaces every parameter by N(0, 0.2²) values, so that no part of the network is zero. */
    static void perturb(DiT dit, long seed) {
        Rng rng = Rng.stream(seed, "perturb");
        Map<String, Tensor> state = new LinkedHashMap<>();
        dit.stateDict().forEach((k, v) -> {
            float[] d = rng.gaussian(v.data().length);
            for (int i = 0; i < d.length; i++) {
                d[i] *= 0.2f;
            }
            state.put(k, new Tensor(v.shape(), d));
        });
        dit.loadStateDict(state, "perturbed");
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
