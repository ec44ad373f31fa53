package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColourPlaneTest {
    static final double S = Math.sqrt(0.5);
    /** A plane of two orthonormal directions in four channels. */
    static final ColourPlane PLANE = new ColourPlane(new double[][] {{S, S, 0, 0}, {0, 0, 0.6, 0.8}});

    @Test
    void removingThePlaneIsAProjectionThatLeavesNothingInThePlane() {
        long[] shape = {2, 4, 3, 5};
        Tensor x = new Tensor(shape, new Rng(1).gaussian((int) Tensor.numel(shape)));
        Tensor r = PLANE.remove(x);
        assertTrue(LowFrequencyAnchorTest.maxDiff(r, PLANE.remove(r)) < 1e-6f, "R∘R = R");
        int hw = 15;
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < hw; i++) {
                for (double[] d : PLANE.directions()) {
                    double dot = 0;
                    for (int c = 0; c < 4; c++) {
                        dot += d[c] * r.data()[(n * 4 + c) * hw + i];
                    }
                    assertEquals(0, dot, 1e-6, "no part in the plane is left");
                }
            }
        }
        // what R removes lies in the plane: x − R(x) has no part orthogonal to it
        Tensor removed = x.sub(r);
        assertTrue(LowFrequencyAnchorTest.maxDiff(removed, removed.sub(PLANE.remove(removed))) < 1e-6f);
    }

    @Test
    void modelJsonsListsRoundTrip() {
        assertEquals(PLANE, ColourPlane.of(PLANE.rows()));
    }

    @Test
    void directionsThatAreNotOrthonormalOrLeaveNothingAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ColourPlane.of(List.of(List.of(1.0, 1.0, 0.0))));
        assertThrows(IllegalArgumentException.class,
                () -> ColourPlane.of(List.of(List.of(1.0, 0.0), List.of(0.0, 1.0))));
        assertThrows(IllegalArgumentException.class,
                () -> ColourPlane.of(List.of(List.of(1.0, 0.0, 0.0), List.of(1.0, 0.0, 0.0))));
        assertThrows(IllegalArgumentException.class,
                () -> ColourPlane.of(List.of(List.of(1.0, 0.0, 0.0), List.of(0.0, 1.0))));
        assertThrows(IllegalArgumentException.class, () -> PLANE.remove(new Tensor(new long[] {1, 3, 1, 1},
                new float[3])));
    }
}
