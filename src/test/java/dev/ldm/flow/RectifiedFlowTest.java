package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RectifiedFlowTest {
    private static NDManager m;

    @BeforeAll
    static void start() {
        m = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static NDArray gaussian(Rng rng, long... shape) {
        return m.create(rng.gaussian((int) new Shape(shape).size()), new Shape(shape));
    }

    /** The scalar-t forms (the samplers') work on host tensors. */
    private static Tensor host(NDArray a) {
        return Nd.toTensor(a);
    }

    @Test
    void pathStartsAtDataAndEndsAtNoise() {
        Rng rng = new Rng(1);
        NDArray x0 = gaussian(rng, 3, 2, 4);
        NDArray eps = gaussian(rng, 3, 2, 4);
        assertArrayEquals(x0.toFloatArray(), RectifiedFlow.interpolate(host(x0), host(eps), 0f).data());
        assertArrayEquals(eps.toFloatArray(), RectifiedFlow.interpolate(host(x0), host(eps), 1f).data());
        NDArray xt = RectifiedFlow.interpolate(x0, eps, m.create(new float[] {0f, 1f, 0.25f})); // [3, 2, 4]
        assertArrayEquals(x0.get(0).toFloatArray(), xt.get(0).toFloatArray());
        assertArrayEquals(eps.get(1).toFloatArray(), xt.get(1).toFloatArray());
        float[] a = x0.get(2).toFloatArray();
        float[] e = eps.get(2).toFloatArray();
        float[] mid = xt.get(2).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(0.75f * a[i] + 0.25f * e[i], mid[i], 1e-6f);
        }
    }

    @Test
    void perSampleTimeBroadcastsLikeScalarTime() {
        Rng rng = new Rng(2);
        NDArray x0 = gaussian(rng, 4, 3, 2, 2);
        NDArray eps = gaussian(rng, 4, 3, 2, 2);
        NDArray t = m.full(new Shape(4), 0.3f);
        assertArrayEquals(RectifiedFlow.interpolate(host(x0), host(eps), 0.3f).data(),
                RectifiedFlow.interpolate(x0, eps, t).toFloatArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.interpolate(x0, eps, m.zeros(new Shape(3))));
    }

    @Test
    void velocityTargetIsTheDerivativeOfThePath() {
        Rng rng = new Rng(3);
        NDArray x0 = gaussian(rng, 5, 3);
        NDArray eps = gaussian(rng, 5, 3);
        float t = 0.4f;
        float h = 0.25f;
        Tensor slope = RectifiedFlow.interpolate(host(x0), host(eps), t + h)
                .sub(RectifiedFlow.interpolate(host(x0), host(eps), t)).div(h);
        assertArrayEquals(RectifiedFlow.velocityTarget(x0, eps).toFloatArray(), slope.data(), 1e-5f);
    }

    @Test
    void predictionsInvertThePathGivenTheTrueVelocity() {
        Rng rng = new Rng(4);
        NDArray x0 = gaussian(rng, 3, 8);
        NDArray eps = gaussian(rng, 3, 8);
        NDArray v = RectifiedFlow.velocityTarget(x0, eps);
        for (float t : new float[] {0f, 0.1f, 0.5f, 0.9f, 1f}) {
            Tensor xt = RectifiedFlow.interpolate(host(x0), host(eps), t);
            assertArrayEquals(x0.toFloatArray(), RectifiedFlow.predictX0(xt, host(v), t).data(), 1e-5f);
            assertArrayEquals(eps.toFloatArray(), RectifiedFlow.predictEps(xt, host(v), t).data(), 1e-5f);
        }
        NDArray tb = m.create(new float[] {0.05f, 0.5f, 0.95f});
        NDArray xt = RectifiedFlow.interpolate(x0, eps, tb);
        assertArrayEquals(x0.toFloatArray(), RectifiedFlow.predictX0(xt, v, tb).toFloatArray(), 1e-5f);
        assertArrayEquals(eps.toFloatArray(), RectifiedFlow.predictEps(xt, v, tb).toFloatArray(), 1e-5f);
    }

    /** For Gaussian data the marginal p_t is N(aμ, V·I), so its score −(x − aμ)/V is known exactly. */
    @Test
    void scoreFromTheExactVelocityIsTheGradientOfTheLogDensity() {
        float[] mu = {1.5f, -2f};
        float sigma = 0.5f;
        GaussianTarget target = new GaussianTarget(mu, sigma);
        Tensor x = host(gaussian(new Rng(5), 6, 2)).mul(2f);
        for (float t : new float[] {0.05f, 0.3f, 0.7f, 1f}) {
            double a = 1 - t;
            double var = a * a * sigma * sigma + t * t;
            float[] xs = x.data();
            float[] expected = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                expected[i] = (float) (-(xs[i] - a * mu[i % 2]) / var);
            }
            float[] got = RectifiedFlow.score(x, target.velocity(x, t), t).data();
            assertArrayEquals(expected, got, 2e-4f * (float) (1 / var), "t = " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.score(x, x, 0f));
    }

    @Test
    void lossIsMeanSquaredErrorAndPerSampleLossAveragesToIt() {
        NDArray pred = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray target = m.create(new float[] {1, 0, 3, 0, 5, 9}, new Shape(2, 3));
        assertEquals((4 + 16 + 9) / 6f, RectifiedFlow.loss(pred, target).getFloat(), 1e-6f);
        NDArray per = RectifiedFlow.perSampleLoss(pred, target);
        assertEquals(new Shape(2), per.getShape());
        assertArrayEquals(new float[] {4 / 3f, 25 / 3f}, per.toFloatArray(), 1e-6f);
        Rng rng = new Rng(6);
        NDArray p4 = gaussian(rng, 4, 2, 3, 3);
        NDArray t4 = gaussian(rng, 4, 2, 3, 3);
        assertEquals(RectifiedFlow.loss(p4, t4).getFloat(),
                RectifiedFlow.perSampleLoss(p4, t4).mean().getFloat(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> RectifiedFlow.loss(pred, p4));
    }
}
