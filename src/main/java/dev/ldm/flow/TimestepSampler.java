package dev.ldm.flow;

import dev.ldm.LdmException;
import dev.ldm.util.Rng;

/**
 * Draws training times t ∈ [0, 1] (t = 0 data, t = 1 noise). Implementations are stateless; the
 * randomness comes from the caller's {@link Rng} stream, so a run is reproducible from its seed.
 */
public interface TimestepSampler {
    /** {@code n} independent times. */
    float[] sample(Rng rng, int n);

    /** The text form that {@link #parse} reads back, for run configs. */
    String spec();

    /**
     * Parses {@code logit-normal} (m = 0, s = 1), {@code logit-normal:M,S} or {@code uniform}.
     *
     * @throws LdmException bad input for anything else
     */
    static TimestepSampler parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("uniform")) {
            return new UniformTimesteps();
        }
        if (s.equals("logit-normal")) {
            return new LogitNormalTimesteps(0, 1);
        }
        if (s.startsWith("logit-normal:")) {
            String[] parts = s.substring("logit-normal:".length()).split(",", -1);
            if (parts.length == 2) {
                try {
                    return new LogitNormalTimesteps(Double.parseDouble(parts[0].trim()),
                            Double.parseDouble(parts[1].trim()));
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        }
        throw LdmException.badInput("timesteps '" + text
                + "': expected logit-normal, logit-normal:MEAN,STD (for example logit-normal:0,1) or uniform");
    }
}
