package dev.ldm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** Gradients of sum(a·ga) + sum(b·gb): exactly ga and gb. */
    private static void backward(NDManager m, NDArray a, NDArray b, float[] ga, float[] gb) {
        try (NDScope scope = new NDScope(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = a.mul(m.create(ga, a.getShape())).sum().add(b.mul(m.create(gb, b.getShape())).sum());
            gc.backward(loss);
        }
    }

    @Test
    void aNonFiniteGradientIsRefusedBeforeAnyWeightOrMomentChanges() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = m.create(new float[] {1, 2, 3}, new Shape(3));
                NDArray b = m.create(new float[] {4, 5}, new Shape(2));
                Map<String, NDArray> params = new LinkedHashMap<>();
                params.put("a", a);
                params.put("b", b);
                params.values().forEach(p -> p.setRequiresGradient(true));
                AdamW opt = new AdamW(params, m, AdamW.Config.defaults());
                backward(m, a, b, new float[] {0.5f, -1, 2}, new float[] {1, 1});
                assertEquals(Math.sqrt(0.25 + 1 + 4 + 2), opt.update(1e-2), 1e-6);
                Map<String, Tensor> moments = opt.state();
                float[] wa = a.toFloatArray();
                float[] wb = b.toFloatArray();

                backward(m, a, b, new float[] {0.5f, -1, 2}, new float[] {1, bad});
                LdmException e = assertThrows(LdmException.class, () -> opt.update(1e-2));
                assertTrue(e.getMessage().contains("first non-finite gradient: b"), e.getMessage());
                assertEquals(1, opt.step());
                assertArrayEquals(wa, a.toFloatArray());
                assertArrayEquals(wb, b.toFloatArray());
                opt.state().forEach((k, t) -> assertArrayEquals(moments.get(k).data(), t.data(), k));
            }
        }
    }

    @Test
    void gradientsAreZeroedAfterAnUpdate() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3}, new Shape(3));
            NDArray b = m.create(new float[] {4, 5}, new Shape(2));
            Map<String, NDArray> params = Map.of("a", a, "b", b);
            params.values().forEach(p -> p.setRequiresGradient(true));
            AdamW opt = new AdamW(params, m, AdamW.Config.defaults());
            backward(m, a, b, new float[] {1e18f, -1e18f, 1}, new float[] {1, 1});
            opt.update(1e-3);
            assertArrayEquals(new float[3], a.getGradient().toFloatArray());
            assertArrayEquals(new float[2], b.getGradient().toFloatArray());
        }
    }
}
