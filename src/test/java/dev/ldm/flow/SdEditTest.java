package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ldm.io.Tensor;
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
        long[] shape = {2, 3, 2, 2};
        Tensor z = new Tensor(shape, new Rng(1).gaussian(24));
        Tensor eps = new Tensor(shape, new Rng(2).gaussian(24));
        assertArrayEquals(eps.data(), SdEdit.start(z, eps, 1f).data());
        assertArrayEquals(z.data(), SdEdit.start(z, eps, 0f).data());
        float[] half = SdEdit.start(z, eps, 0.25f).data();
        for (int i = 0; i < half.length; i++) {
            assertEquals(0.75f * z.data()[i] + 0.25f * eps.data()[i], half[i], 1e-6f);
        }
    }
}
