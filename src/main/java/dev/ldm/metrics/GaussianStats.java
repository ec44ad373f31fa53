package dev.ldm.metrics;

/**
 * The mean and covariance of a set of feature vectors, in double precision: the Gaussian that the
 * Fréchet distance compares.
 *
 * @param mean μ [d]
 * @param covariance Σ [d][d], unbiased (divided by n − 1, as numpy's {@code cov} and pytorch-fid)
 * @param count n, the number of vectors it was measured on
 */
public record GaussianStats(double[] mean, double[][] covariance, int count) {
    public GaussianStats {
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException("covariance is " + covariance.length + " rows for a mean of "
                    + mean.length);
        }
    }

    public int dim() {
        return mean.length;
    }

    /** Statistics of {@code features} [n][d]; needs n ≥ 2. */
    public static GaussianStats of(float[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 feature vectors, not " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (float[] f : features) {
            if (f.length != d) {
                throw new IllegalArgumentException("feature vectors of different lengths: " + f.length + " and " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += f[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (float[] f : features) {
            for (int j = 0; j < d; j++) {
                centred[j] = f[j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                double[] row = cov[i];
                for (int j = i; j < d; j++) {
                    row[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new GaussianStats(mean, cov, n);
    }
}
