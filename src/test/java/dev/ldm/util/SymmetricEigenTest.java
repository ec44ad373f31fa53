package dev.ldm.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    /** A random symmetric n×n matrix. */
    private static double[][] symmetric(int n, long seed) {
        float[] g = new Rng(seed).gaussian(n * n);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = g[i * n + j] + g[j * n + i];
            }
        }
        return a;
    }

    @Test
    void everyPairSatisfiesAvEqualsLambdaVAndTheVectorsAreOrthonormal() {
        for (int n : new int[] {1, 2, 4, 7, 16}) {
            for (long seed = 0; seed < 20; seed++) {
                double[][] a = symmetric(n, seed);
                SymmetricEigen e = SymmetricEigen.of(a);
                double scale = 0;
                for (double[] row : a) {
                    for (double x : row) {
                        scale = Math.max(scale, Math.abs(x));
                    }
                }
                for (int k = 0; k < n; k++) {
                    double[] v = e.vectors()[k];
                    for (int i = 0; i < n; i++) {
                        double av = 0;
                        for (int j = 0; j < n; j++) {
                            av += a[i][j] * v[j];
                        }
                        assertEquals(e.values()[k] * v[i], av, 1e-10 * scale * n, "n " + n + " seed " + seed);
                    }
                    for (int l = 0; l < n; l++) {
                        double dot = 0;
                        for (int i = 0; i < n; i++) {
                            dot += v[i] * e.vectors()[l][i];
                        }
                        assertEquals(k == l ? 1 : 0, dot, 1e-12);
                    }
                    if (k > 0) {
                        assertTrue(e.values()[k - 1] >= e.values()[k], "descending");
                    }
                }
                double trace = 0;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    trace += a[i][i];
                    sum += e.values()[i];
                }
                assertEquals(trace, sum, 1e-10 * scale * n, "the trace is the sum of the eigenvalues");
            }
        }
    }

    @Test
    void aDiagonalMatrixIsItsOwnDecomposition() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}});
        assertArrayEquals(new double[] {3, 2, 1}, e.values());
        assertArrayEquals(new double[] {0, 1, 0}, e.vectors()[0]);
        assertArrayEquals(new double[] {0, 0, 1}, e.vectors()[1]);
    }

    @Test
    void theSameMatrixGivesTheSameBits() {
        double[][] a = symmetric(4, 3);
        SymmetricEigen x = SymmetricEigen.of(a);
        SymmetricEigen y = SymmetricEigen.of(a);
        assertArrayEquals(x.values(), y.values());
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(x.vectors()[k], y.vectors()[k]);
        }
    }

    @Test
    void aMatrixThatIsNotSymmetricOrNotSquareIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}));
    }
}
