package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.ldm.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EMA of the weights, with its warm-up, against a double-precision recurrence and its closed form. */
class EmaTest {
    @Test
    void warmUpRisesToTheDecayAndStaysThere() {
        double previous = 0;
        for (long s = 1; s <= 20_000; s++) {
            double d = Ema.decayAt(0.999, s);
            assertTrue(d >= previous && d <= 0.999, "step " + s + ": " + d);
            assertEquals(s < 8_990, d < 0.999, "step " + s);
            previous = d;
        }
        assertEquals(2.0 / 11.0, Ema.decayAt(0.999, 1), 0);
        assertEquals(0.0, Ema.decayAt(0.0, 5), 0); // --ema 0: the weights themselves
        assertThrows(IllegalArgumentException.class, () -> Ema.decayAt(0.999, 0));
    }

    /**
     * Weights that start at 0 and are 1 after every step: the EMA after n steps is 1 − Π d_s, the share
     * the initial weights keep. With the warm-up that share vanishes; a plain EMA of 0.999 would keep 90%
     * of it after 100 steps.
     */
    @Test
    void initialWeightsFadeAsTheClosedFormSays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.zeros(new Shape(3));
            Ema ema = new Ema(Map.of("w", w), m, 0.999);
            double keep = 1;
            for (long s = 1; s <= 100; s++) {
                try (NDScope scope = new NDScope()) {
                    w.set(new float[] {1, 1, 1});
                    ema.update(s);
                }
                keep *= Ema.decayAt(0.999, s);
                float[] e = ema.state().get("w").data();
                for (float v : e) {
                    assertEquals(1 - keep, v, 1e-5, "step " + s);
                }
            }
            assertTrue(keep < 1e-9, "initial weights' share after 100 steps: " + keep);
            assertTrue(1 - Math.pow(0.999, 100) < 0.1); // what a plain EMA would show instead of ~1
        }
    }

    @Test
    void followsTheRecurrenceOnRandomWeights() {
        Rng rng = Rng.stream(7, "ema-test");
        int n = 257;
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            float[] a0 = rng.gaussian(n);
            float[] b0 = rng.gaussian(n);
            params.put("a", m.create(a0));
            params.put("b", m.create(b0));
            Ema ema = new Ema(params, m, 0.99);
            double[] ra = toDouble(a0), rb = toDouble(b0);
            for (long s = 1; s <= 600; s++) {
                float[] a = rng.gaussian(n), b = rng.gaussian(n);
                try (NDScope scope = new NDScope()) {
                    params.get("a").set(a);
                    params.get("b").set(b);
                    ema.update(s);
                }
                double d = Ema.decayAt(0.99, s);
                for (int i = 0; i < n; i++) {
                    ra[i] = d * ra[i] + (1 - d) * a[i];
                    rb[i] = d * rb[i] + (1 - d) * b[i];
                }
            }
            float[] ea = ema.state().get("a").data(), eb = ema.state().get("b").data();
            for (int i = 0; i < n; i++) {
                assertEquals(ra[i], ea[i], 1e-4, "a[" + i + "]");
                assertEquals(rb[i], eb[i], 1e-4, "b[" + i + "]");
            }
        }
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
