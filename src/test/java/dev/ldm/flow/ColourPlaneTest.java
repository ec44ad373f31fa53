package dev.ldm.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColourPlaneTest {
    private static final double S = Math.sqrt(0.5);
    /** A plane of two orthonormal directions in four channels. */
    private static final ColourPlane PLANE = new ColourPlane(new double[][] {{S, S, 0, 0}, {0, 0, 0.6, 0.8}});

    private static float maxDiff(Tensor a, Tensor b) {
        float m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }

    @Test
    void removingThePlaneIsAProjectionThatLeavesNothingInThePlane() {
        long[] shape = {2, 4, 3, 5};
        Tensor x = new Tensor(shape, new Rng(1).gaussian((int) Tensor.numel(shape)));
        Tensor r = PLANE.remove(x);
        assertTrue(maxDiff(r, PLANE.remove(r)) < 1e-6f, "R∘R = R");
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
        assertTrue(maxDiff(removed, removed.sub(PLANE.remove(removed))) < 1e-6f);
    }

    @Test
    void theLeadingEigenvectorsOfTheDifferencesFindThePlaneTheyLieIn() {
        // differences a·d0 + b·d1 + small noise: the estimated plane spans the same space as the true one
        Rng rng = new Rng(5);
        double[][] cov = new double[4][4];
        float[] g = rng.gaussian(3 * 4000);
        double[][] d = PLANE.directions();
        for (int s = 0; s < 4000; s++) {
            double[] v = new double[4];
            for (int c = 0; c < 4; c++) {
                v[c] = 2 * g[3 * s] * d[0][c] + g[3 * s + 1] * d[1][c] + 0.01 * g[3 * s + 2] * (c == 2 ? 0.8 : 0)
                        - 0.01 * g[3 * s + 2] * (c == 3 ? 0.6 : 0);
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    cov[i][j] += v[i] * v[j];
                }
            }
        }
        ColourPlane found = ColourPlane.leading(cov, 2);
        // same plane: every found direction has no part outside the true plane
        Tensor dirs = new Tensor(new long[] {2, 4, 1, 1}, new float[] {
            (float) found.directions()[0][0], (float) found.directions()[0][1], (float) found.directions()[0][2],
            (float) found.directions()[0][3], (float) found.directions()[1][0], (float) found.directions()[1][1],
            (float) found.directions()[1][2], (float) found.directions()[1][3]});
        float outside = 0;
        for (float f : PLANE.remove(dirs).data()) {
            outside = Math.max(outside, Math.abs(f));
        }
        assertTrue(outside < 1e-3f, "outside the true plane: " + outside);
        // the first direction is the one with the larger spread (2 against 1), its sign fixed
        assertEquals(S, found.directions()[0][0], 1e-3);
        assertEquals(S, found.directions()[0][1], 1e-3);
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
