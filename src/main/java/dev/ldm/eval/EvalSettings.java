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
 * @param draftStrength with a cascade model: the time its draft is redrawn from; null = no draft
 * @param draftAnchor with a draft: the block side whose means keep the draft's values; null = none
 * @param draftColour with an anchor: "free" leaves the model's colour plane to the redrawing model, "auto" does so
 *     where the draft misses a hue the prompt names; null = kept
 * @param tagGuidance more guidance toward each prompt's first tag ({@code --tag-guidance}); null = none
 */
public record EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
        int size, long seed, Double draftStrength, Integer draftAnchor, String draftColour, Double tagGuidance) {
    /** No tag guidance. */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed, Double draftStrength, Integer draftAnchor, String draftColour) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, draftStrength, draftAnchor, draftColour, null);
    }

    /** An anchor, if any, that keeps every channel. */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed, Double draftStrength, Integer draftAnchor) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, draftStrength, draftAnchor, null);
    }

    /** Without a draft model. */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, null, null);
    }

    /**
     * With the draft strength {@code draftStrength} (as resolved) and an anchor as given (null: the
     * model's, from {@code d}).
     */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed, dev.ldm.folder.ModelManifest.Defaults d, Double draftStrength, Integer draftAnchor) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, d, draftStrength, draftAnchor, null);
    }

    /** The same, with {@code --draft-colour} as given (null: the model's, from {@code d}, when there is an anchor). */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed, dev.ldm.folder.ModelManifest.Defaults d, Double draftStrength, Integer draftAnchor,
            String draftColour) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, d, draftStrength, draftAnchor, draftColour, null);
    }

    /** The same, with {@code --tag-guidance} as given too (null: the model's, from {@code d}). */
    public EvalSettings(int k, int steps, double cfg, String sampler, double shift, GuidanceInterval cfgInterval,
            int size, long seed, dev.ldm.folder.ModelManifest.Defaults d, Double draftStrength, Integer draftAnchor,
            String draftColour, Double tagGuidance) {
        this(k, steps, cfg, sampler, shift, cfgInterval, size, seed, draftStrength,
                d.draftAnchor(draftAnchor, draftStrength), d.draftColour(draftColour,
                        d.draftAnchor(draftAnchor, draftStrength)), d.tagGuidance(tagGuidance));
    }

    public EvalSettings {
        if (draftStrength != null && draftStrength == 1) {
            draftStrength = null; // from pure noise: no draft
        }
        if (draftAnchor != null && draftAnchor == 0) {
            draftAnchor = null;
        }
        draftColour = dev.ldm.generate.GenerateRequest.draftColour(draftColour);
        if (tagGuidance != null && tagGuidance == 0) {
            tagGuidance = null;
        }
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

    /** The request for {@code prompt}, the {@code i}-th of the list: k images from {@link #seedOf}. */
    public dev.ldm.generate.GenerateRequest request(String prompt, int i) {
        return new dev.ldm.generate.GenerateRequest(prompt, "", steps, cfg, seedOf(i), k, size, sampler, shift,
                cfgInterval, null, draftStrength, draftAnchor, draftColour, tagGuidance);
    }

    /** The seed of the first image of prompt {@code i}. */
    public long seedOf(int promptIndex) {
        return seed + (long) promptIndex * k;
    }
}
