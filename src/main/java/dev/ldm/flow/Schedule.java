package dev.ldm.flow;

import dev.ldm.LdmException;

/**
 * Sampling schedules: the times a sampler visits, from t = 1 (noise) down to t = 0 (data).
 *
 * <p>The timestep shift t' = s·t / (1 + (s − 1)·t) (SD3's resolution shift) moves the visited
 * times towards noise for s &gt; 1, where large images keep their coarse structure longer; s = 1 is
 * the identity. It maps 0 → 0 and 1 → 1 and is strictly increasing for every s &gt; 0, so a shifted
 * schedule still starts at exactly 1, ends at exactly 0 and decreases. There is no hidden state:
 * the schedule is a plain array handed to a stateless sampler.
 */
public final class Schedule {
    private Schedule() {}

    /**
     * t' = s·t / (1 + (s − 1)·t), evaluated as s·t / (s·t + (1 − t)) so that the end points map to
     * exactly 0 and 1 for every s (the first form rounds 1 + (s − 1) away from s for some s).
     */
    public static double shift(double t, double s) {
        double st = s * t;
        return st / (st + (1 - t));
    }

    /**
     * {@code steps + 1} times from exactly 1 down to exactly 0: uniform in t, then shifted by
     * {@code shift}.
     *
     * @throws LdmException bad input when steps &lt; 1 or shift is not a positive finite number
     */
    public static float[] timesteps(int steps, double shift) {
        if (steps < 1) {
            throw LdmException.badInput("steps: must be at least 1, got " + steps);
        }
        if (!(shift > 0) || !Double.isFinite(shift)) {
            throw LdmException.badInput("shift: must be a positive finite number, got " + shift);
        }
        float[] t = new float[steps + 1];
        t[0] = 1f;
        for (int i = 1; i < steps; i++) {
            t[i] = (float) shift(1.0 - (double) i / steps, shift);
        }
        t[steps] = 0f;
        return t;
    }

    /**
     * Checks a schedule that a sampler is about to follow: at least two times, all in [0, 1],
     * strictly decreasing (a user-supplied or shifted array may violate this only through extreme
     * step counts or bad input).
     *
     * @throws LdmException bad input otherwise
     */
    public static void validate(float[] timesteps) {
        if (timesteps == null || timesteps.length < 2) {
            throw LdmException.badInput("timesteps: need at least 2 times (1 step)");
        }
        for (int i = 0; i < timesteps.length; i++) {
            float t = timesteps[i];
            if (!(t >= 0f && t <= 1f)) {
                throw LdmException.badInput("timesteps: t[" + i + "] = " + t + " is outside [0, 1]");
            }
            if (i > 0 && !(t < timesteps[i - 1])) {
                throw LdmException.badInput("timesteps: must strictly decrease, but t[" + i + "] = " + t
                        + " follows " + timesteps[i - 1] + " (too many steps for this shift?)");
            }
        }
    }
}
