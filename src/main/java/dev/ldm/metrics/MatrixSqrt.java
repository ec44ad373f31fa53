package dev.ldm.metrics;

/**
 * Square roots of symmetric positive semi-definite matrices through their eigen-decomposition:
 * √S = V·diag(√max(λ, 0))·Vᵀ. Eigenvalues that rounding made slightly negative (a covariance of
 * fewer samples than dimensions is singular) are clamped to zero, so the result is always real.
 */
public final class MatrixSqrt {
    private MatrixSqrt() {}

    /** The PSD square root of a symmetric matrix (symmetrised first, to remove rounding asymmetry). */
    public static double[][] sqrtPsd(double[][] s) {
        SymmetricEigen e = SymmetricEigen.of(symmetrize(s));
        int n = s.length;
        double[] root = new double[n];
        for (int i = 0; i < n; i++) {
            root[i] = Math.sqrt(Math.max(0, e.values()[i]));
        }
        double[][] v = e.vectors();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += v[i][k] * root[k] * v[j][k];
                }
                out[i][j] = sum;
                out[j][i] = sum;
            }
        }
        return out;
    }

    /** tr √M for a symmetric PSD matrix M: the sum of the square roots of its (clamped) eigenvalues. */
    public static double traceSqrtPsd(double[][] m) {
        double sum = 0;
        for (double l : SymmetricEigen.of(symmetrize(m)).values()) {
            sum += Math.sqrt(Math.max(0, l));
        }
        return sum;
    }

    /** (A + Aᵀ) / 2. */
    public static double[][] symmetrize(double[][] a) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square");
            }
            for (int j = 0; j < n; j++) {
                out[i][j] = 0.5 * (a[i][j] + a[j][i]);
            }
        }
        return out;
    }

    /** A·B for square matrices. */
    public static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] row = out[i];
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < n; j++) {
                    row[j] += aik * bk[j];
                }
            }
        }
        return out;
    }
}
