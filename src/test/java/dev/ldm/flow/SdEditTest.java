package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

class SdEditTest {
    @Test
    void scheduleRunsFromStrengthToZeroAndIsThePlainOneAtOne() {
        for (double shift : new double[] {1.0, 3.0}) {
            assertArrayEquals(Schedule.timesteps(7, shift), SdEdit.timesteps(7, shift, 1f));
            float[] ts = SdEdit.timesteps(7, shift, 0.4f);
            assertEquals(8, ts.length);
            assertEquals(0.4f, ts[0]);
            assertEquals(0f, ts[7]);
            Schedule.validate(ts);
            float[] plain = Schedule.timesteps(7, shift);
            for (int i = 0; i < ts.length; i++) {
                assertEquals(plain[i] * 0.4f, ts[i], 0f, "the shape of the schedule is kept");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SdEdit.timesteps(3, 1, 0f));
    }

    @Test
    void startIsNoiseAtOneAndTheLatentAtZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new Rng(1).gaussian(24), new ai.djl.ndarray.types.Shape(2, 3, 2, 2));
            NDArray eps = m.create(new Rng(2).gaussian(24), new ai.djl.ndarray.types.Shape(2, 3, 2, 2));
            assertArrayEquals(eps.toFloatArray(), SdEdit.start(z, eps, 1f).toFloatArray());
            assertArrayEquals(z.toFloatArray(), SdEdit.start(z, eps, 0f).toFloatArray());
            float[] half = SdEdit.start(z, eps, 0.25f).toFloatArray();
            float[] zf = z.toFloatArray();
            float[] ef = eps.toFloatArray();
            for (int i = 0; i < half.length; i++) {
                assertEquals(0.75f * zf[i] + 0.25f * ef[i], half[i], 1e-6f);
            }
        }
    }
}
