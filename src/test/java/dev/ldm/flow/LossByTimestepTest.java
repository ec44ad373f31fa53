package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LossByTimestepTest {
    @Test
    void binsAverageTheLossesOfTheirTimes() {
        LossByTimestep bins = new LossByTimestep(4);
        bins.add(new float[] {0f, 0.1f, 0.3f, 0.99f, 1f, 0.25f}, new float[] {1, 3, 5, 2, 4, 7});
        assertArrayEquals(new long[] {2, 2, 0, 2}, bins.counts());
        double[] means = bins.means();
        assertEquals(2.0, means[0], 1e-12);
        assertEquals(6.0, means[1], 1e-12);
        assertTrue(Double.isNaN(means[2]), "an empty bin has no mean");
        assertEquals(3.0, means[3], 1e-12);
        assertEquals(0, bins.bin(0f));
        assertEquals(3, bins.bin(1f), "t = 1 belongs to the last bin");
        assertTrue(bins.toString().contains(" - "), bins.toString());
        bins.reset();
        assertArrayEquals(new long[4], bins.counts());
    }

    @Test
    void acceptsNdArraysAndRefusesBadInput() {
        LossByTimestep bins = new LossByTimestep(10);
        try (NDManager m = NDManager.newBaseManager()) {
            bins.add(m.create(new float[] {0.05f, 0.55f}), m.create(new float[] {0.5f, 1.5f}));
        }
        assertEquals(1, bins.counts()[0]);
        assertEquals(1.5, bins.means()[5], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> bins.add(new float[] {1.5f}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> bins.add(new float[] {0.5f}, new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new LossByTimestep(0));
    }
}
