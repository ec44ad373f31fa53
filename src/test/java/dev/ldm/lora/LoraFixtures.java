package dev.ldm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small DiT with every weight non-zero, seeded inputs and random (non-zero) LoRA files. */
final class LoraFixtures {
    static final DiTConfig CONFIG = new DiTConfig(4, 3, 2, 16, 2, 2, 2.0, 12, 5);

    private LoraFixtures() {}

    /** Every weight N(0, 0.2²), so no layer (not even an adaLN-Zero one) is zero. */
    static Map<String, Tensor> randomWeights(long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, CONFIG, 0L);
            Rng rng = Rng.stream(seed, "weights");
            Map<String, Tensor> out = new LinkedHashMap<>();
            dit.stateDict().forEach((k, v) -> out.put(k, new Tensor(v.shape(), scaled(rng.gaussian(v.data().length), 0.2f))));
            return out;
        }
    }

    static DiT dit(NDManager m, Map<String, Tensor> weights) {
        DiT dit = new DiT(m, CONFIG, 0L);
        dit.loadStateDict(weights, "fixture");
        return dit;
    }

    /** (x, t, text, mask, pooled) for 3 samples, the last with two padding tokens. */
    static NDList inputs(NDManager m) {
        Rng rng = Rng.stream(5, "inputs");
        int b = 3;
        int s = CONFIG.inputSize();
        int l = CONFIG.textLength();
        int e = CONFIG.textDim();
        float[] mask = new float[b * l];
        java.util.Arrays.fill(mask, 1f);
        mask[b * l - 1] = 0;
        mask[b * l - 2] = 0;
        return new NDList(m.create(rng.gaussian(b * 3 * s * s), new Shape(b, 3, s, s)),
                m.create(rng.uniform(b, 0, 1), new Shape(b)), m.create(rng.gaussian(b * l * e), new Shape(b, l, e)),
                m.create(mask, new Shape(b, l)), m.create(rng.gaussian(b * e), new Shape(b, e)));
    }

    static float[] forward(DiT dit, NDList in) {
        NDArray out = dit.forward(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
        return out.toFloatArray();
    }

    /** A LoRA for {@link #CONFIG} with random A and B (std 0.3) on every layer {@code config} targets. */
    static LoraFile randomLora(LoraConfig config, String baseHash, long seed) {
        Rng rng = Rng.stream(seed, "lora");
        Map<String, Tensor> t = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, CONFIG, 0L);
            LoraNetwork.targets(dit, config).forEach((name, layer) -> {
                long[] w = layer.weight().getShape().getShape();
                int r = config.rank();
                t.put(name + LoraNetwork.A_SUFFIX, new Tensor(new long[] {r, w[1]},
                        scaled(rng.gaussian((int) (r * w[1])), 0.3f)));
                t.put(name + LoraNetwork.B_SUFFIX, new Tensor(new long[] {w[0], r},
                        scaled(rng.gaussian((int) (w[0] * r)), 0.3f)));
            });
        }
        return new LoraFile(config, t, baseHash, Map.of("base_model", "fixture"));
    }

    static float[] scaled(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
