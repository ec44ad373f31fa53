package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import org.junit.jupiter.api.Test;

class VaeTrainConfigTest {
    private static VaeTrainConfig config(int steps, int warmup, int cooldown) {
        return new VaeTrainConfig(steps, 8, 1e-3, warmup, 1e-6, "l1", 0.0, 1.0, 0, 250, 0, cooldown);
    }

    @Test
    void warmupThenConstantThenALinearCooldownToZero() {
        VaeTrainConfig c = config(1000, 100, 200);
        for (int step = 1; step <= 1000; step++) {
            double expected;
            if (step <= 800) {
                expected = 1e-3 * Math.min(1.0, step / 100.0);
            } else {
                expected = 1e-3 * (1000 - step + 1) / 201.0;
            }
            assertEquals(expected, c.lrAt(step), 1e-18, "step " + step);
        }
        // the fall is by equal steps and would reach zero one step after the last
        double d = c.lrAt(800) - c.lrAt(801);
        assertEquals(d, c.lrAt(1000), 1e-18);
        assertTrue(c.lrAt(1000) > 0);
    }

    @Test
    void withoutCooldownTheStablePhaseIsWhatALongerRunHas() {
        // a run trained in stages: the stable phase does not depend on how long the run will be
        VaeTrainConfig shortRun = config(3000, 200, 0);
        VaeTrainConfig longRun = config(40000, 200, 0);
        VaeTrainConfig finished = config(9000, 200, 2000);
        for (int step = 1; step <= 3000; step++) {
            assertEquals(longRun.lrAt(step), shortRun.lrAt(step));
            assertEquals(longRun.lrAt(step), finished.lrAt(step));
        }
    }

    @Test
    void refusesACooldownLongerThanTheRun() {
        LdmException e = assertThrows(LdmException.class, () -> config(100, 10, 101));
        assertTrue(e.getMessage().contains("cooldown must be 0 to steps"), e.getMessage());
        assertEquals(100, config(100, 10, 100).cooldown());
        assertEquals(50, config(100, 10, 80).withSteps(50).cooldown(), "a shorter run keeps a cool-down that fits");
    }
}
