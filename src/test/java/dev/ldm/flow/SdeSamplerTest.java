package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reverse SDE with the exact Gaussian velocity reproduces the target's statistics. */
class SdeSamplerTest {
    private static final float[] MU = {1.5f, -2f};
    private static final float SIGMA = 0.5f;
    private static final int N = 16000;
    private static GaussianTarget target;
    private static float[] z;

    @BeforeAll
    static void start() {
        target = new GaussianTarget(MU, SIGMA);
        z = new Rng(13).gaussian(N * 2);
    }

    private static float[] run(Sampler s, VelocityField f, int steps, long seed) {
        Tensor noise = new Tensor(new long[] {N, 2}, z);
        return s.sample(f, noise, Schedule.timesteps(steps, 1), Rng.stream(seed, "sde"), null).data();
    }

    @Test
    void meanAndStdMatchTheTargetForSeveralNoiseLevels() {
        for (double eta : new double[] {0.5, 1, 2}) {
            float[] x = run(new SdeSampler(eta), target, 100, 14);
            for (int d = 0; d < 2; d++) {
                // standard errors: mean 0.004, std 0.003; discretisation error ≈ 0.005 at 100 steps
                assertEquals(MU[d], FlowStats.mean(x, 2, d), 0.02, "eta " + eta + " mean " + d);
                assertEquals(SIGMA, FlowStats.std(x, 2, d), 0.02, "eta " + eta + " std " + d);
            }
        }
    }

    /** The SDE forgets part of its starting noise: samples are no longer the ODE's deterministic image. */
    @Test
    void noiseMakesTheResultDifferFromTheOdeButNotItsDistribution() {
        float[] sde = run(new SdeSampler(1), target, 100, 15);
        float[] ode = target.transport(z);
        double diff = 0;
        for (int i = 0; i < sde.length; i++) {
            diff += Math.abs(sde[i] - ode[i]);
        }
        assertTrue(diff / sde.length > 0.1, "mean |sde − ode| = " + diff / sde.length);
    }

    @Test
    void zeroNoiseIsTheEulerSampler() {
        assertArrayEquals(run(new EulerSampler(), target, 20, 0), run(new SdeSampler(0), target, 20, 16));
    }

    @Test
    void sameSeedSameSamplesOtherSeedOtherSamples() {
        float[] a = run(new SdeSampler(), target, 10, 17);
        assertArrayEquals(a, run(new SdeSampler(), target, 10, 17));
        assertTrue(!java.util.Arrays.equals(a, run(new SdeSampler(), target, 10, 18)));
    }

    /** The final step is deterministic: a point target is reached exactly whatever noise came before. */
    @Test
    void finalStepLandsOnAPointTargetExactly() {
        GaussianTarget point = new GaussianTarget(MU, 0f);
        assertArrayEquals(point.transport(new float[N * 2]), run(new SdeSampler(1.5), point, 8, 19), 1e-5f);
    }

    @Test
    void badNoiseLevelsAndUnstableSchedulesAreBadInput() {
        for (double eta : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            LdmException e = assertThrows(LdmException.class, () -> new SdeSampler(eta));
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
        }
        // 10 uniform steps: the step 0.2 → 0.1 has (1 + η)·h = 0.5 ≥ 2t = 0.4 for η = 4.
        LdmException e = assertThrows(LdmException.class, () -> run(new SdeSampler(4), target, 10, 20));
        assertTrue(e.getMessage().contains("too high"), e.getMessage());
    }
}
