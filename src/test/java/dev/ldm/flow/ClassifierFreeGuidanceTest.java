package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guidance with exact fields: the "prompt" is a Gaussian at μ_c, the "empty prompt" one at μ_u and the
 * prompt's first tag one at μ_k, bound to rows 0..B−1, B..2B−1 and 2B..3B−1 of the stacked batch as a
 * conditional network would bind them.
 */
class ClassifierFreeGuidanceTest {
    private static GaussianTarget cond;
    private static GaussianTarget uncond;
    private static GaussianTarget tag;
    private static int pairCalls;
    private static Tensor x;

    @BeforeAll
    static void start() {
        cond = new GaussianTarget(new float[] {2f, 1f}, 0.3f);
        uncond = new GaussianTarget(new float[] {0f, 0f}, 1f);
        tag = new GaussianTarget(new float[] {1.5f, -0.5f}, 0.5f);
        x = new Tensor(new long[] {5, 2}, new Rng(21).gaussian(10));
    }

    /** The conditional network: checks the batch is [x; x] and answers [v_c; v_u]. */
    private static Tensor pair(Tensor x2, float t) {
        pairCalls++;
        int b = (int) x2.shape()[0] / 2;
        assertArrayEquals(x2.slice(0, b).data(), x2.slice(b, 2 * b).data());
        return Tensor.concat(List.of(cond.velocity(x2.slice(0, b), t), uncond.velocity(x2.slice(b, 2 * b), t)));
    }

    /** The network with tag guidance: checks the batch is [x; x; x] and answers [v_c; v_u; v_k]. */
    private static Tensor triple(Tensor x3, float t) {
        pairCalls++;
        int b = (int) x3.shape()[0] / 3;
        assertArrayEquals(x3.slice(0, b).data(), x3.slice(b, 2 * b).data());
        assertArrayEquals(x3.slice(0, b).data(), x3.slice(2 * b, 3 * b).data());
        return Tensor.concat(List.of(cond.velocity(x3.slice(0, b), t), uncond.velocity(x3.slice(b, 2 * b), t),
                tag.velocity(x3.slice(2 * b, 3 * b), t)));
    }

    private static float[] tagGuided(double g, double w, float t) {
        return new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::triple, null, g, w, GuidanceInterval.ALWAYS)
                .velocity(x, t).data();
    }

    private static float[] guided(double g, float t) {
        return new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, g).velocity(x, t).data();
    }

    @Test
    void scaleOneIsTheConditionalAndZeroTheUnconditional() {
        for (float t : new float[] {1f, 0.6f, 0.1f}) {
            assertArrayEquals(cond.velocity(x, t).data(), guided(1, t), 1e-6f);
            assertArrayEquals(uncond.velocity(x, t).data(), guided(0, t), 1e-6f);
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
            assertArrayEquals(x.shape(), xb.shape());
            return cond.velocity(xb, t);
        };
        pairCalls = 0;
        float[] v = new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, condOnly, 1.0).velocity(x, 0.5f)
                .data();
        assertEquals(0, pairCalls);
        assertEquals(1, condCalls[0]);
        assertArrayEquals(guided(1, 0.5f), v, 1e-6f);
        new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, condOnly, 3.0).velocity(x, 0.5f);
        assertEquals(1, condCalls[0], "at g != 1 the pair is used");
    }

    @Test
    void tagGuidanceAddsWTimesTheTagsDirectionFromTheUnconditional() {
        for (float t : new float[] {1f, 0.6f, 0.1f}) {
            float[] vc = cond.velocity(x, t).data();
            float[] vu = uncond.velocity(x, t).data();
            float[] vk = tag.velocity(x, t).data();
            // g = 0, w = 1 is the tag's own velocity; g = 1, w = 0 the prompt's
            assertArrayEquals(vk, tagGuided(0, 1, t), 1e-6f);
            for (double g : new double[] {1, 2, 3.5}) {
                for (double w : new double[] {-0.5, 1, 2, 3}) {
                    float[] v = tagGuided(g, w, t);
                    for (int i = 0; i < v.length; i++) {
                        // the same field read as guidance toward the tag plus guidance from the tag to the prompt
                        double composed = vu[i] + (g + w) * (vk[i] - vu[i]) + g * (vc[i] - vk[i]);
                        assertEquals(vu[i] + g * (vc[i] - vu[i]) + w * (vk[i] - vu[i]), v[i], 1e-4, "g " + g + " w " + w);
                        assertEquals(composed, v[i], 1e-4, "g " + g + " w " + w);
                    }
                }
            }
        }
    }

    @Test
    void withoutTagGuidanceTheNetworkSeesTwoCopiesAndGivesPlainGuidanceBitForBit() {
        for (float t : new float[] {0.9f, 0.3f}) {
            assertArrayEquals(guided(3, t), new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, null, 3, 0,
                    GuidanceInterval.ALWAYS).velocity(x, t).data());
        }
        // at g = 1 the tag still needs the unconditional velocity: one stacked call, never the conditional-only field
        VelocityField condOnly = (xb, t) -> {
            throw new AssertionError("the conditional-only field cannot give tag guidance");
        };
        pairCalls = 0;
        float[] v = new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::triple, condOnly, 1, 2,
                GuidanceInterval.ALWAYS).velocity(x, 0.5f).data();
        assertEquals(1, pairCalls);
        assertArrayEquals(tagGuided(1, 2, 0.5f), v);
    }

    @Test
    void nonFiniteScaleIsBadInput() {
        for (double g : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            LdmException e = assertThrows(LdmException.class,
                    () -> new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, g));
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
            LdmException w = assertThrows(LdmException.class, () -> new ClassifierFreeGuidance(
                    ClassifierFreeGuidanceTest::triple, null, 2, g, GuidanceInterval.ALWAYS));
            assertEquals(LdmException.BAD_INPUT, w.exitCode());
        }
    }

    @Test
    void outsideTheIntervalTheFieldIsExactlyTheConditionalVelocityAndInsideThePlainGuidedOne() {
        GuidanceInterval middle = new GuidanceInterval(0.25, 0.75);
        int[] condCalls = {0};
        VelocityField condOnly = (xb, t) -> {
            condCalls[0]++;
            return cond.velocity(xb, t);
        };
        for (float t : new float[] {1f, 0.9f, 0.76f, 0.75f, 0.5f, 0.25f, 0.24f, 0.05f, 0f}) {
            boolean inside = t >= 0.25f && t <= 0.75f;
            float[] plain = guided(3, t);
            // with a conditional-only field: that field alone outside (one B call, no pair call)
            pairCalls = 0;
            condCalls[0] = 0;
            float[] v = new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, condOnly, 3, middle)
                    .velocity(x, t).data();
            assertArrayEquals(inside ? plain : cond.velocity(x, t).data(), v, "t = " + t);
            assertEquals(inside ? 1 : 0, pairCalls, "t = " + t);
            assertEquals(inside ? 0 : 1, condCalls[0], "t = " + t);
            // without one: the conditional half of the pair, bit for bit
            float[] w = new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, null, 3, middle)
                    .velocity(x, t).data();
            assertArrayEquals(inside ? plain : cond.velocity(x, t).data(), w, "t = " + t);
        }
    }

    @Test
    void theWholeIntervalIsPlainGuidance() {
        for (float t : new float[] {1f, 0.5f, 0f}) {
            assertArrayEquals(guided(2.5, t), new ClassifierFreeGuidance(ClassifierFreeGuidanceTest::pair, null, 2.5,
                    GuidanceInterval.ALWAYS).velocity(x, t).data());
        }
    }
}
