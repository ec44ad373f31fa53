package dev.ldm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.flow.ColourPlane;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

class ColourPlaneMeasureTest {
    private static final double S = Math.sqrt(0.5);
    /** The plane the differences are drawn in: two orthonormal directions of four channels. */
    private static final ColourPlane PLANE = new ColourPlane(new double[][] {{S, S, 0, 0}, {0, 0, 0.6, 0.8}});

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
        ColourPlane found = ColourPlaneMeasure.Spectrum.of(cov).plane(2);
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
}
