package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

/** The objective as identities: the true velocity has zero loss; the model sees x_t and t. */
class FlowLossTest {
    private static final Shape SHAPE = new Shape(3, 2, 2, 2);

    @Test
    void theTrueVelocityHasZeroLossAndZeroHasTheTargetsMeanSquare() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x0 = m.create(new Rng(1).gaussian(24), SHAPE);
            NDArray eps = m.create(new Rng(2).gaussian(24), SHAPE);
            NDArray t = m.create(new float[] {0.1f, 0.5f, 0.9f});
            float[] x = x0.toFloatArray();
            float[] e = eps.toFloatArray();
            // the model sees x_t = (1 - t) x_0 + t ε; the exact velocity is (x_t - x_0) / t
            FlowLoss exact = FlowLoss.of(x0, t, eps, (xt, tt) -> xt.sub(x0).div(RectifiedFlow.broadcastTime(tt, xt)));
            for (float v : exact.perSample().toFloatArray()) {
                assertEquals(0, v, 1e-10);
            }
            FlowLoss zero = FlowLoss.of(x0, t, eps, (xt, tt) -> xt.zerosLike());
            float[] want = new float[3];
            for (int i = 0; i < 24; i++) {
                want[i / 8] += (e[i] - x[i]) * (e[i] - x[i]) / 8;
            }
            assertArrayEquals(want, zero.perSample().toFloatArray(), 1e-5f);
            assertEquals((want[0] + want[1] + want[2]) / 3, zero.mean().getFloat(), 1e-5f);
        }
    }
}
