package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients agree with central finite differences. Garbage is collected and fresh direct
 * buffers are filled between forward and backward, so a tensor that autograd saved over freed Java
 * memory (as {@code mul(float)} makes in DJL) shows up as a wrong gradient here.
 */
class DiTGradientTest {
    private static final String[] CHECKED = {
        "x_embedder.proj.weight", "t_embedder.fc1.weight", "pooled_embedder.fc2.weight", "context_proj.weight",
        "blocks.0.attn.qkv.weight", "blocks.1.cross_attn.q.weight", "blocks.1.cross_attn.kv.weight",
        "blocks.0.norm_cross.weight", "blocks.1.mlp.fc1.weight", "blocks.0.adaLN_modulation.linear.weight",
        "final_layer.linear.weight",
    };
    private static final float EPS = 1e-2f;

    @Test
    void autogradMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 5L);
            TinyDiT.perturb(dit, 6);
            NDList in = TinyDiT.inputs(m, c, 2, 7);
            NDArray w = m.create(Rng.stream(8, "w").gaussian((int) in.get(0).size()), in.get(0).getShape());
            Map<String, float[]> grads = autograd(dit, in, w);
            Map<String, Tensor> state = dit.stateDict();
            for (String name : CHECKED) {
                float[] g = grads.get(name);
                int i = argMaxAbs(g);
                double fd = (lossWith(dit, state, name, i, EPS, in, w) - lossWith(dit, state, name, i, -EPS, in, w))
                        / (2 * EPS);
                assertEquals(fd, g[i], 0.005 * Math.abs(fd) + 1e-3, name + "[" + i + "]");
            }
        }
    }

    private static Map<String, float[]> autograd(DiT dit, NDList in, NDArray w) {
        dit.setRequiresGradient(true);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = TinyDiT.forward(dit, in).mul(w).sum();
            churnFreedMemory();
            gc.backward(loss);
            dit.parameters().forEach((k, p) -> out.put(k, p.getGradient().toFloatArray()));
        }
        dit.setRequiresGradient(false);
        return out;
    }

    private static void churnFreedMemory() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int k = 0; k < 200; k++) {
                ByteBuffer.allocateDirect(4 << (k % 8)).putFloat(0, Float.NaN);
            }
        }
    }

    private static double lossWith(DiT dit, Map<String, Tensor> state, String name, int index, float delta,
            NDList in, NDArray w) {
        Map<String, Tensor> moved = new LinkedHashMap<>(state);
        float[] v = state.get(name).data().clone();
        v[index] += delta;
        moved.put(name, new Tensor(state.get(name).shape(), v));
        dit.loadStateDict(moved, "finite difference");
        try (NDScope scope = new NDScope()) {
            double loss = TinyDiT.forward(dit, in).mul(w).sum().getFloat();
            dit.loadStateDict(state, "restore");
            return loss;
        }
    }

    private static int argMaxAbs(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        return best;
    }
}
