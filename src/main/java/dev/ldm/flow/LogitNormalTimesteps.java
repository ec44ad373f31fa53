package dev.ldm.flow;

import dev.ldm.LdmException;
import dev.ldm.util.Rng;

/**
 * t = sigmoid(m + s·n), n ~ N(0, 1): concentrates training on the middle times, where the velocity
 * is hardest to predict (Esser et al. 2024, SD3; minRF's default with m = 0, s = 1). Results lie
 * strictly inside (0, 1) even when float rounding of the sigmoid would reach an end point.
 *
 * @param mean m, the location in logit space (0 centres the mass at t = 0.5)
 * @param std s &gt; 0, the spread in logit space
 */
public record LogitNormalTimesteps(double mean, double std) implements TimestepSampler {
    private static final float LOWEST = Float.MIN_NORMAL;
    private static final float HIGHEST = Math.nextDown(1f);

    public LogitNormalTimesteps {
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw LdmException.badInput("logit-normal timesteps: mean must be finite and std positive and finite, got "
                    + mean + "," + std);
        }
    }

    @Override
    public float[] sample(Rng rng, int n) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            double z = mean + std * rng.nextGaussian();
            float s = (float) (1.0 / (1.0 + Math.exp(-z)));
            t[i] = Math.min(HIGHEST, Math.max(LOWEST, s));
        }
        return t;
    }

    @Override
    public String spec() {
        return "logit-normal:" + mean + "," + std;
    }
}
