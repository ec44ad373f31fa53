package dev.ldm.flow;

import dev.ldm.util.Rng;

/** t ~ U[0, 1): the plain rectified-flow choice, kept for ablations against logit-normal. */
public record UniformTimesteps() implements TimestepSampler {
    @Override
    public float[] sample(Rng rng, int n) {
        float[] t = rng.uniform(n, 0, 1);
        for (int i = 0; i < n; i++) {
            t[i] = Math.min(t[i], Math.nextDown(1f)); // a double just below 1 may round up to 1f
        }
        return t;
    }

    @Override
    public String spec() {
        return "uniform";
    }
}
