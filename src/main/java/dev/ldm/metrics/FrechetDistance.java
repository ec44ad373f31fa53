package dev.ldm.metrics;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians, as FID computes it on features
 * (Heusel et al. 2017): d² = |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2·(Σ₁Σ₂)^½).
 *
 * <p>Σ₁Σ₂ is not symmetric, so instead of a general matrix square root (scipy's {@code sqrtm}, which
 * can return complex values on near-singular covariances) this uses the similar symmetric matrix
 * M = Σ₁^½·Σ₂·Σ₁^½: it has the same eigenvalues as Σ₁Σ₂, all real and non-negative, so
 * tr (Σ₁Σ₂)^½ = tr M^½ = Σ √λᵢ(M), computed by symmetric eigen-decompositions in double precision.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The squared Fréchet distance (what papers report as FID); never negative. */
    public static double between(GaussianStats a, GaussianStats b) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.dim() + " and " + b.dim());
        }
        int d = a.dim();
        double meanTerm = 0;
        double traceTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
            traceTerm += a.covariance()[i][i] + b.covariance()[i][i];
        }
        double[][] rootA = MatrixSqrt.sqrtPsd(a.covariance());
        double[][] m = MatrixSqrt.multiply(MatrixSqrt.multiply(rootA, b.covariance()), rootA);
        double cross = MatrixSqrt.traceSqrtPsd(m);
        return Math.max(0, meanTerm + traceTerm - 2 * cross);
    }

    /** FID between two feature sets [n][d] (each n ≥ 2). */
    public static double between(float[][] a, float[][] b) {
        return between(GaussianStats.of(a), GaussianStats.of(b));
    }
}
