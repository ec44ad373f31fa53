package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void shiftOfOneIsTheIdentity() {
        dev.ldm.util.Rng rng = new dev.ldm.util.Rng(11);
        for (int i = 0; i < 1000; i++) {
            double t = rng.nextDouble();
            assertEquals(t, Schedule.shift(t, 1.0), 0.0);
        }
        float[] plain = Schedule.timesteps(37, 1.0);
        for (int i = 0; i <= 37; i++) {
            assertEquals((float) (1.0 - i / 37.0), plain[i], 0f);
        }
        assertArrayEquals(new float[] {1f, 0.75f, 0.5f, 0.25f, 0f}, Schedule.timesteps(4, 1.0));
    }

    @Test
    void shiftFixesTheEndsAndComposesMultiplicatively() {
        for (double s : new double[] {0.3, 1.0, 3.0, 7.5}) {
            assertEquals(0.0, Schedule.shift(0, s), 0.0);
            assertEquals(1.0, Schedule.shift(1, s), 0.0);
            // t' = s·t/(1 + (s − 1)t) is a Möbius map: shifting by a then b is shifting by a·b.
            assertEquals(Schedule.shift(0.37, s * 2), Schedule.shift(Schedule.shift(0.37, s), 2), 1e-12);
        }
        assertTrue(Schedule.shift(0.5, 3) > 0.5, "s > 1 moves times towards noise");
        assertEquals(0.75, Schedule.shift(0.5, 3), 1e-12);
    }

    @Test
    void shiftedSchedulesStartAtOneEndAtZeroAndDecrease() {
        for (double s : new double[] {0.25, 1, 3, 10}) {
            for (int steps : new int[] {1, 2, 7, 50, 1000}) {
                float[] t = Schedule.timesteps(steps, s);
                assertEquals(steps + 1, t.length);
                assertEquals(1f, t[0], 0f);
                assertEquals(0f, t[steps], 0f);
                for (int i = 1; i <= steps; i++) {
                    assertTrue(t[i] < t[i - 1], "strictly decreasing at " + i + " for shift " + s);
                }
                Schedule.validate(t);
            }
        }
    }

    @Test
    void badStepsAndShiftsAreBadInput() {
        for (Runnable r : new Runnable[] {
            () -> Schedule.timesteps(0, 1),
            () -> Schedule.timesteps(10, 0),
            () -> Schedule.timesteps(10, -2),
            () -> Schedule.timesteps(10, Double.NaN),
            () -> Schedule.timesteps(10, Double.POSITIVE_INFINITY),
            () -> Schedule.validate(new float[] {1f}),
            () -> Schedule.validate(new float[] {1f, 0.5f, 0.5f, 0f}),
            () -> Schedule.validate(new float[] {1.5f, 0f}),
            () -> Schedule.validate(new float[] {1f, Float.NaN, 0f}),
        }) {
            LdmException e = assertThrows(LdmException.class, r::run);
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
        }
    }
}
