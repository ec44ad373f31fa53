package dev.ldm.eval;

import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;

/**
 * How generated images are made for an evaluation (recorded with its results).
 *
 * @param k images per prompt, rendered as one batch
 * @param steps sampler steps
 * @param cfg guidance scale g
 * @param sampler sampler name
 * @param shift timestep shift
 * @param cfgInterval the times t at which guidance applies (null = every t)
 * @param size image side in pixels
 * @param seed prompt i uses seeds seed + i·k … seed + i·k + k − 1; also seeds the FID subsets
 */
public record EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
        int size, long seed) {
    public EvalSettings {
        if (cfgInterval == null) {
            cfgInterval = GuidanceInterval.ALWAYS;
        }
        if (k < 1 || k > 256) {
            throw LdmException.badInput("--k must be between 1 and 256, not " + k);
        }
        if (steps < 1 || steps > 10_000) {
            throw LdmException.badInput("--steps must be between 1 and 10000, not " + steps);
        }
    }

    /** The seed of the first image of prompt {@code i}. */
    public long seedOf(int promptIndex) {
        return seed + (long) promptIndex * k;
    }
}
