package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Euler and Heun against the exact flow map of a Gaussian target (z ↦ μ + σ·z). */
class OdeSamplerTest {
    private static final float[] MU = {1.5f, -2f};
    private static final float SIGMA = 0.5f;
    private static final int N = 4096;
    private static GaussianTarget target;
    private static float[] z;

    @BeforeAll
    static void start() {
        target = new GaussianTarget(MU, SIGMA);
        z = new Rng(12).gaussian(N * 2);
    }

    private static Tensor noise() {
        return new Tensor(new long[] {N, 2}, z);
    }

    /** Max |sampled − exactly transported| over all N samples. */
    private static double error(Sampler sampler, int steps, double shift) {
        float[] x = sampler.sample(target, noise(), Schedule.timesteps(steps, shift), null, null).data();
        return FlowStats.maxAbsDiff(x, target.transport(z));
    }

    @Test
    void eulerAndHeunTransportNoiseToTheExactPoint() {
        double euler = error(new EulerSampler(), 50, 1);
        double heun = error(new HeunSampler(), 50, 1);
        assertTrue(euler < 0.1, "euler error " + euler);
        assertTrue(heun < 0.005, "heun error " + heun);
        assertTrue(heun < euler / 10, "heun " + heun + " vs euler " + euler);
        double shifted = error(new HeunSampler(), 50, 3);
        assertTrue(shifted < 0.05, "heun error with shift 3: " + shifted);
    }

    /** Halving the step halves Euler's error (first order) and quarters Heun's (second order). */
    @Test
    void errorsShrinkAtTheOrderOfEachMethod() {
        double e1 = error(new EulerSampler(), 20, 1);
        double e2 = error(new EulerSampler(), 40, 1);
        double h1 = error(new HeunSampler(), 20, 1);
        double h2 = error(new HeunSampler(), 40, 1);
        assertEquals(2.0, e1 / e2, 0.35, "euler ratio");
        assertEquals(4.0, h1 / h2, 1.0, "heun ratio");
    }

    @Test
    void sampleMeanAndStdMatchTheTarget() {
        for (Sampler s : new Sampler[] {new EulerSampler(), new HeunSampler()}) {
            float[] x = s.sample(target, noise(), Schedule.timesteps(30, 1), null, null).data();
            for (int d = 0; d < 2; d++) {
                // the exact map is affine, so the sample moments equal those of μ + σ·z up to the ODE error
                assertEquals(MU[d], FlowStats.mean(x, 2, d), 0.03, s.name() + " mean " + d);
                assertEquals(SIGMA, FlowStats.std(x, 2, d), 0.04, s.name() + " std " + d);
            }
        }
    }

    /** Paths to a single point are straight, so one Euler step lands on it from any noise. */
    @Test
    void oneEulerStepReachesAPointTargetExactly() {
        GaussianTarget point = new GaussianTarget(MU, 0f);
        float[] x = new EulerSampler().sample(point, noise(), Schedule.timesteps(1, 1), null, null).data();
        assertArrayEquals(point.transport(new float[N * 2]), x, 1e-5f);
        float[] h = new HeunSampler().sample(point, noise(), Schedule.timesteps(7, 3), null, null).data();
        assertArrayEquals(point.transport(new float[N * 2]), h, 1e-5f);
    }
}
