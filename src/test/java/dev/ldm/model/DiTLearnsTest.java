package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.ldm.optim.AdamW;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

/** The network, its gradients and AdamW together can fit a fixed batch (a broken backward cannot). */
class DiTLearnsTest {
    static final int STEPS = 200;

    @Test
    void adamWDrivesTheVelocityErrorOnAFixedBatchDownTenfold() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 11L);
            dit.setRequiresGradient(true);
            AdamW opt = new AdamW(dit.parameters(), m, AdamW.Config.defaults());
            NDList in = TinyDiT.inputs(m, c, 4, 3);
            NDArray target = m.create(Rng.stream(3, "target").gaussian((int) in.get(0).size()), in.get(0).getShape());
            double first = step(dit, opt, in, target);
            double last = first;
            for (int i = 1; i < STEPS; i++) {
                last = step(dit, opt, in, target);
            }
            assertTrue(last < first / 10, "MSE went from " + first + " to " + last);
        }
    }

    private static double step(DiT dit, AdamW opt, NDList in, NDArray target) {
        try (NDScope scope = new NDScope()) {
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = TinyDiT.forward(dit, in);                    // [B, C, H, W]
                NDArray mse = pred.sub(target).square().mean();             // []
                gc.backward(mse);
                loss = mse.getFloat();
            }
            opt.update(2e-3);
            return loss;
        }
    }
}
