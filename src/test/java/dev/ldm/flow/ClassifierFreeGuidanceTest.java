package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.LdmException;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guidance with two exact fields: the "prompt" is a Gaussian at μ_c, the "empty prompt" one at μ_u,
 * bound to rows 0..B−1 and B..2B−1 of the 2B batch as a conditional network would bind them.
 */
class ClassifierFreeGuidanceTest {
    private static NDManager m;
    private static GaussianTarget cond;
    private static GaussianTarget uncond;
    private static int pairCalls;
    private static NDArray x;

    @BeforeAll
    static void start() {
        m = NDManager.newBaseManager();
        cond = new GaussianTarget(m, new float[] {2f, 1f}, 0.3f);
        uncond = new GaussianTarget(m, new float[] {0f, 0f}, 1f);
        x = m.create(new Rng(21).gaussian(10), new Shape(5, 2));
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    /** The conditional network: checks the batch is [x; x] and answers [v_c; v_u]. */
    private static NDArray pair(NDArray x2, float t) {
        pairCalls++;
        long b = x2.getShape().get(0) / 2;
        assertArrayEquals(x2.get("0:" + b).toFloatArray(), x2.get(b + ":").toFloatArray());
        return cond.velocity(x2.get("0:" + b), t).concat(uncond.velocity(x2.get(b + ":"), t), 0);
    }

    private static float[] guided(double g, float t) {
        return new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, g).velocity(x, t).toFloatArray();
    }

    @Test
    void scaleOneIsTheConditionalAndZeroTheUnconditional() {
        for (float t : new float[] {1f, 0.6f, 0.1f}) {
            assertArrayEquals(cond.velocity(x, t).toFloatArray(), guided(1, t), 1e-6f);
            assertArrayEquals(uncond.velocity(x, t).toFloatArray(), guided(0, t), 1e-6f);
        }
    }

    @Test
    void guidanceIsLinearInTheScale() {
        float t = 0.45f;
        float[] v0 = guided(0, t);
        float[] v1 = guided(1, t);
        for (double g : new double[] {-0.5, 2, 3.5, 7}) {
            float[] vg = guided(g, t);
            for (int i = 0; i < vg.length; i++) {
                assertEquals(v0[i] + g * (v1[i] - v0[i]), vg[i], 1e-4, "g = " + g);
            }
        }
    }

    @Test
    void oneBatchedCallPerEvaluationAndTheConditionalOnlyFieldSkipsTheUnconditionalHalf() {
        pairCalls = 0;
        guided(4, 0.5f);
        assertEquals(1, pairCalls);
        int[] condCalls = {0};
        VelocityField condOnly = (xb, t) -> {
            condCalls[0]++;
            assertEquals(x.getShape(), xb.getShape());
            return cond.velocity(xb, t);
        };
        pairCalls = 0;
        float[] v = new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, condOnly, 1.0).velocity(x, 0.5f)
                .toFloatArray();
        assertEquals(0, pairCalls);
        assertEquals(1, condCalls[0]);
        assertArrayEquals(guided(1, 0.5f), v, 1e-6f);
        new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, condOnly, 3.0).velocity(x, 0.5f);
        assertEquals(1, condCalls[0], "at g != 1 the pair is used");
    }

    @Test
    void nonFiniteScaleIsBadInput() {
        for (double g : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            LdmException e = assertThrows(LdmException.class,
                    () -> new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, g));
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
        }
    }
}
