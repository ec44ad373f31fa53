package dev.ldm.util;

/**
 * Eigenvalues and eigenvectors of a small real symmetric matrix by cyclic Jacobi rotations (Golub and
 * Van Loan, "Matrix Computations", 8.5): each rotation zeroes one off-diagonal pair, sweeps repeat until
 * the off-diagonal part is negligible. Plain double arithmetic in a fixed order, so the result is the
 * same on every CPU. Meant for the 4×4 to 16×16 matrices of latent channels, not for large ones.
 *
 * @param values the eigenvalues, in descending order
 * @param vectors {@code vectors[k]} the unit eigenvector of {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
    private static final int MAX_SWEEPS = 100;

    /** Decomposes {@code a} (square, symmetric; not modified). */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("not a square matrix: row " + i + " has " + a[i].length);
            }
            m[i] = a[i].clone();
            v[i][i] = 1;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (!(Math.abs(m[i][j] - m[j][i]) <= 1e-9 * (Math.abs(m[i][j]) + Math.abs(m[j][i]) + 1e-300))) {
                    throw new IllegalArgumentException("not a symmetric matrix at (" + i + ", " + j + ")");
                }
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(m) > 1e-30 * (1 + diagonal(m)); sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) {
                        rotate(m, v, p, q);
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y][y], m[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[k][i] = v[i][order[k]]; // column order[k] of V
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes m[p][q]; V accumulates the rotations. */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) { // M ← M·J
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) { // M ← Jᵀ·M
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        m[p][q] = 0;
        m[q][p] = 0;
        for (int k = 0; k < n; k++) { // V ← V·J
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (i != j) {
                    s += m[i][j] * m[i][j];
                }
            }
        }
        return s;
    }

    private static double diagonal(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            s += m[i][i] * m[i][i];
        }
        return s;
    }
}
