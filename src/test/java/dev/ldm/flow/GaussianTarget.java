package dev.ldm.flow;

import dev.ldm.io.Tensor;

/**
 * The exact velocity field for data x_0 ~ N(μ, σ²·I) (per-dimension μ), for testing samplers
 * against known answers.
 *
 * <p>With a = 1 − t, x_t ~ N(a·μ, V·I), V = a²σ² + t². Gaussian conditioning gives
 * E[x_0 | x_t] = μ + aσ²/V·(x_t − aμ) and E[ε | x_t] = t/V·(x_t − aμ), hence
 * v(x, t) = E[ε − x_0 | x_t] = (t − aσ²)/V·(x − aμ) − μ.
 *
 * <p>The ODE dx/dt = v transports x_1 = z along x_t = aμ + √V·z (differentiate: dx/dt = −μ +
 * (t − aσ²)/√V·z, which is the formula above), so the exact flow map from noise to data is the
 * affine map z ↦ μ + σ·z.
 */
final class GaussianTarget implements VelocityField {
    final float[] mu;
    final float sigma;

    GaussianTarget(float[] mu, float sigma) {
        this.mu = mu;
        this.sigma = sigma;
    }

    @Override
    public Tensor velocity(Tensor x, float t) { // x [B, D]
        double a = 1.0 - t;
        double var = a * a * sigma * sigma + (double) t * t;
        float coef = (float) ((t - a * sigma * sigma) / var);
        float[] xs = x.data();
        float[] v = new float[xs.length];
        for (int i = 0; i < v.length; i++) {
            float m = mu[i % mu.length];
            v[i] = (xs[i] - m * (float) a) * coef - m;
        }
        return new Tensor(x.shape().clone(), v); // [B, D]
    }

    /** The exact sample the ODE reaches from noise z: μ + σ·z, row-major [B, D]. */
    float[] transport(float[] z) {
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = mu[i % mu.length] + sigma * z[i];
        }
        return out;
    }
}
