package dev.ldm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.eval.EvalReport;
import dev.ldm.eval.FidMeasure;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
    /** A random symmetric positive definite matrix B·Bᵀ + εI. */
    static double[][] randomSpd(Rng rng, int n, double ridge) {
        double[][] b = new double[n][n];
        for (double[] row : b) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    s[i][j] += b[i][k] * b[j][k];
                }
            }
            s[i][i] += ridge;
        }
        return s;
    }

    static double[] randomVector(Rng rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    @Test
    void sqrtOfRandomSpdMatrixSquaresBack() {
        Rng rng = new Rng(1);
        for (int n : new int[] {1, 3, 17, 64}) {
            double[][] s = randomSpd(rng, n, 0.1);
            double[][] root = MatrixSqrt.sqrtPsd(s);
            double err = maxAbsDiff(MatrixSqrt.multiply(root, root), s);
            double scale = maxAbsDiff(s, new double[n][n]);
            assertTrue(err <= 1e-8 * Math.max(1, scale), "n=" + n + " error " + err);
            assertEquals(0, maxAbsDiff(root, MatrixSqrt.symmetrize(root)), 0, "the root is symmetric");
        }
    }

    @Test
    void eigenDecompositionReconstructsTheMatrixWithOrthonormalVectors() {
        double[][] a = randomSpd(new Rng(2), 20, -5); // symmetric, indefinite
        SymmetricEigen e = SymmetricEigen.of(a);
        int n = a.length;
        double[][] back = new double[n][n];
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    back[i][j] += e.vectors()[i][k] * e.values()[k] * e.vectors()[j][k];
                    gram[i][j] += e.vectors()[k][i] * e.vectors()[k][j];
                }
            }
        }
        assertTrue(maxAbsDiff(back, a) < 1e-9, "A = V diag(λ) Vᵀ");
        assertTrue(maxAbsDiff(gram, SymmetricEigen.identity(n)) < 1e-12, "VᵀV = I");
    }

    @Test
    void identicalGaussiansAreAtDistanceZero() {
        Rng rng = new Rng(3);
        double[][] cov = randomSpd(rng, 32, 0.01);
        GaussianStats g = new GaussianStats(randomVector(rng, 32), cov, 100);
        assertEquals(0, FrechetDistance.between(g, g), 1e-8);
    }

    @Test
    void diagonalCovariancesMatchTheClosedForm() {
        // d² = Σ (μ₁ᵢ − μ₂ᵢ)² + Σ (σ₁ᵢ − σ₂ᵢ)² when both covariances are diagonal.
        Rng rng = new Rng(4);
        int n = 12;
        double[] m1 = randomVector(rng, n);
        double[] m2 = randomVector(rng, n);
        double[][] c1 = new double[n][n];
        double[][] c2 = new double[n][n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double s1 = 0.1 + rng.nextDouble() * 3;
            double s2 = i == 0 ? 0 : 0.1 + rng.nextDouble() * 3; // one degenerate direction
            c1[i][i] = s1 * s1;
            c2[i][i] = s2 * s2;
            expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + (s1 - s2) * (s1 - s2);
        }
        double d = FrechetDistance.between(new GaussianStats(m1, c1, 10), new GaussianStats(m2, c2, 10));
        assertEquals(expected, d, 1e-9 * expected);
    }

    @Test
    void distanceIsSymmetricForNonCommutingCovariances() {
        Rng rng = new Rng(5);
        GaussianStats a = new GaussianStats(randomVector(rng, 24), randomSpd(rng, 24, 0.5), 50);
        GaussianStats b = new GaussianStats(randomVector(rng, 24), randomSpd(rng, 24, 0.5), 50);
        double ab = FrechetDistance.between(a, b);
        assertTrue(ab > 0);
        assertEquals(ab, FrechetDistance.between(b, a), 1e-9 * ab);
    }

    @Test
    void statsFromSamplesAreTheUnbiasedMeanAndCovariance() {
        float[][] x = {{1, 2}, {3, 6}, {5, 4}};
        GaussianStats g = GaussianStats.of(x);
        assertEquals(3, g.mean()[0], 1e-12);
        assertEquals(4, g.mean()[1], 1e-12);
        assertEquals(4, g.covariance()[0][0], 1e-12); // (4 + 0 + 4) / 2
        assertEquals(4, g.covariance()[1][1], 1e-12); // (4 + 4 + 0) / 2
        assertEquals(2, g.covariance()[0][1], 1e-12); // (4 + 0 + 0) / 2
        assertEquals(g.covariance()[0][1], g.covariance()[1][0]);
    }

    @Test
    void fewerSamplesThanDimensionsStillGiveAFiniteDistance() {
        Rng rng = new Rng(6);
        float[][] a = new float[3][40];
        float[][] b = new float[3][40];
        for (int i = 0; i < 3; i++) {
            a[i] = rng.gaussian(40);
            b[i] = rng.gaussian(40);
        }
        double d = FrechetDistance.between(a, b);
        assertTrue(Double.isFinite(d) && d > 0, "d = " + d);
        assertEquals(0, FrechetDistance.between(a, a), 1e-6);
    }

    @Test
    void fidFloorUsesDisjointSubsetsOfTheSameSize() {
        Rng rng = new Rng(7);
        float[][] real = gaussianRows(rng, 40, 4);
        float[][] gen = gaussianRows(rng, 30, 4);
        for (float[] g : gen) {
            g[0] += 5; // a shifted distribution
        }
        EvalReport.Fid f = FidMeasure.measure(real, gen, 0);
        assertEquals(20, f.generated());
        assertEquals(20, f.real());
        assertEquals(20, f.reference());
        assertTrue(f.fid() > 20 && f.fid() < 30, "about 5² = 25: " + f.fid());
        assertTrue(f.floor() < 2, "floor " + f.floor());
    }

    @Test
    void roundTripFidIsTheFloorWhenNothingIsLostAndSeesOnlyTheFloorsSubset() {
        Rng rng = new Rng(11);
        float[][] real = gaussianRows(rng, 40, 4);
        float[][] gen = gaussianRows(rng, 30, 4);
        EvalReport.Fid f = FidMeasure.measure(real, gen, 3);
        float[][] lossless = new float[real.length][];
        for (int i = 0; i < real.length; i++) {
            lossless[i] = real[i].clone();
        }
        assertEquals(f.floor(), FidMeasure.roundTrip(real, lossless, gen.length, 3), 0.0);

        // A round trip that moves every image by 3 along one axis: about 3² above the floor. Only the floor's
        // subset is compared after the round trip, so changing one image's reconstruction moves the FID
        // exactly when that image is in the subset.
        float[][] shifted = new float[real.length][];
        for (int i = 0; i < real.length; i++) {
            shifted[i] = real[i].clone();
            shifted[i][1] += 3;
        }
        double moved = FidMeasure.roundTrip(real, shifted, gen.length, 3);
        assertTrue(moved > f.floor() + 6 && moved < f.floor() + 12, "about floor + 9: " + moved + ", floor " + f.floor());
        java.util.Set<Integer> inSubset = new java.util.HashSet<>();
        for (int i = 0; i < real.length; i++) {
            float[][] one = new float[real.length][];
            for (int j = 0; j < real.length; j++) {
                one[j] = shifted[j].clone();
            }
            one[i][2] += 100;
            if (FidMeasure.roundTrip(real, one, gen.length, 3) != moved) {
                inSubset.add(i);
            }
        }
        assertEquals(f.real(), inSubset.size(), "exactly the floor's subset counts");
        assertThrows(IllegalArgumentException.class, () -> FidMeasure.roundTrip(real, gen, gen.length, 3));
        assertEquals(null, FidMeasure.roundTrip(new float[][] {real[0], real[1], real[2]},
                new float[][] {real[0], real[1], real[2]}, 2, 3), "no FID under 2 images a side");
    }

    /** n rows of d standard normal values, drawn in order. */
    private static float[][] gaussianRows(Rng rng, int n, int d) {
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = rng.gaussian(d);
        }
        return rows;
    }
}
