package dev.ldm.generate;

import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.flow.LowFrequencyAnchor;

/**
 * Everything that decides a generated image. With the same model and machine, the same request
 * gives the same pixels. Serializable so that a Spark job ships requests to its executors (the
 * canonical constructor checks them again on arrival).
 *
 * @param prompt what to draw
 * @param negative what to steer away from ("" = the empty prompt)
 * @param steps sampler steps (at least 1)
 * @param cfg guidance scale g: v = v_u + g (v_c − v_u); 1 = no guidance
 * @param seed seed of the first image; image i uses seed + i
 * @param n images for this prompt, rendered as one batch
 * @param size image side in pixels
 * @param sampler euler, heun or sde
 * @param shift timestep shift s (1 = none)
 * @param cfgInterval the times t at which guidance applies (null = {@link GuidanceInterval#ALWAYS})
 * @param init the image to start from (img2img, SDEdit), or null to start from pure noise
 * @param draftStrength with a model that has a draft model: redraw the draft's upscaled image from time S
 *     in (0, 1) (a cascade, see {@link Generator}); null (or 1) = from pure noise, no draft
 * @param draftAnchor with a draft: keep the draft's layout, the mean of every F×F block of latent cells,
 *     while this model redraws the rest ({@link LowFrequencyAnchor}); null (or 0) = none
 * @param draftColour with an anchor: {@value #FREE_COLOUR} keeps the draft's layout only outside the model's
 *     colour plane, so this model chooses the colour ({@link dev.ldm.flow.ColourPlane}); {@value #AUTO_COLOUR}
 *     does so, from a later time, only for the images whose draft does not show a hue the prompt names
 *     ({@link ColourChoice}); null (or "kept") = the anchor keeps every channel
 * @param tagGuidance w: more guidance toward the prompt's first tag, the text before its first comma ("fox" of
 *     "fox, noto style"): v = v_u + g (v_c − v_u) + w (v_tag − v_u) wherever g applies
 *     ({@link dev.ldm.flow.ClassifierFreeGuidance}), by the model that draws from pure noise (a cascade's draft,
 *     not its redraw; refused with an init image); a prompt of one tag is drawn as without it; null (or 0) = none
 */
public record GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
        String sampler, double shift, @com.google.gson.annotations.SerializedName("cfg-interval")
        GuidanceInterval cfgInterval, InitImage init,
        @com.google.gson.annotations.SerializedName("draft-strength") Double draftStrength,
        @com.google.gson.annotations.SerializedName("draft-anchor") Integer draftAnchor,
        @com.google.gson.annotations.SerializedName("draft-colour") String draftColour,
        @com.google.gson.annotations.SerializedName("tag-guidance") Double tagGuidance)
        implements java.io.Serializable {
    /** Most images ldm renders as one batch. */
    public static final int MAX_N = 256;
    /** {@code --draft-colour free}: the anchor leaves the colour plane to the model that redraws. */
    public static final String FREE_COLOUR = "free";
    /** {@code --draft-colour kept}: the anchor keeps every channel. */
    public static final String KEPT_COLOUR = "kept";
    /** {@code --draft-colour auto}: free where the draft misses a hue the prompt names, kept elsewhere. */
    public static final String AUTO_COLOUR = "auto";

    public GenerateRequest {
        if (prompt == null) {
            throw LdmException.badInput("prompt is missing");
        }
        if (negative == null) {
            negative = "";
        }
        if (steps < 1 || steps > 10_000) {
            throw LdmException.badInput("--steps must be between 1 and 10000, not " + steps);
        }
        if (!Double.isFinite(cfg) || Math.abs(cfg) > 1000) {
            throw LdmException.badInput("--cfg must be a finite number (|cfg| <= 1000), not " + cfg);
        }
        if (tagGuidance != null) {
            if (!Double.isFinite(tagGuidance) || Math.abs(tagGuidance) > 1000) {
                throw LdmException.badInput("--tag-guidance must be a finite number (|w| <= 1000), not " + tagGuidance);
            }
            if (tagGuidance == 0) {
                tagGuidance = null; // none: the same pixels as without it
            } else if (init != null) {
                throw LdmException.badInput("--tag-guidance guides an image drawn from noise, and --init-image redraws"
                        + " an image: leave it out (or 0)");
            }
        }
        if (n < 1 || n > MAX_N) {
            throw LdmException.badInput("--n must be between 1 and " + MAX_N + ", not " + n);
        }
        if (size < 1 || size > 4096) {
            throw LdmException.badInput("--size must be between 1 and 4096, not " + size);
        }
        if (!Double.isFinite(shift) || shift <= 0 || shift > 1000) {
            throw LdmException.badInput("--shift must be a positive finite number, not " + shift);
        }
        if (prompt.length() > 10_000 || negative.length() > 10_000) {
            throw LdmException.badInput("prompt is longer than 10000 characters");
        }
        if (sampler == null) {
            throw LdmException.badInput("sampler is missing");
        }
        if (cfgInterval == null) {
            cfgInterval = GuidanceInterval.ALWAYS;
        }
        if (draftStrength != null) {
            if (!(draftStrength > 0 && draftStrength <= 1)) {
                throw LdmException.badInput("--draft-strength must be in (0, 1], not " + draftStrength);
            }
            if (init != null && draftStrength < 1) {
                throw LdmException.badInput("--draft-strength and --init-image exclude each other: both say where"
                        + " sampling starts");
            }
            if (draftStrength == 1) {
                draftStrength = null; // from pure noise: the same pixels as no draft at all
            }
        }
        if (draftAnchor != null) {
            if (draftAnchor < 0 || draftAnchor > LowFrequencyAnchor.MAX_FACTOR) {
                throw LdmException.badInput("--draft-anchor must be between 0 and " + LowFrequencyAnchor.MAX_FACTOR
                        + ", not " + draftAnchor);
            }
            if (draftAnchor == 0) {
                draftAnchor = null; // no anchor
            } else if (draftStrength == null) {
                throw LdmException.badInput("--draft-anchor " + draftAnchor + " needs a draft: a model with a draft"
                        + " model and a --draft-strength below 1");
            }
        }
        draftColour = draftColour(draftColour);
        if (draftColour != null && draftAnchor == null) {
            throw LdmException.badInput("--draft-colour " + draftColour + " needs a draft anchor (--draft-anchor F"
                    + " with a draft): it frees the colour the anchor would keep");
        }
    }

    /**
     * A {@code --draft-colour} as a request holds it: {@value #FREE_COLOUR} or {@value #AUTO_COLOUR}, or null
     * for {@value #KEPT_COLOUR} and for none given (any case, surrounding spaces ignored).
     *
     * @throws LdmException bad input for any other word
     */
    public static String draftColour(String given) {
        if (given == null) {
            return null;
        }
        String c = given.strip().toLowerCase(java.util.Locale.ROOT);
        if (!c.equals(FREE_COLOUR) && !c.equals(KEPT_COLOUR) && !c.equals(AUTO_COLOUR)) {
            throw LdmException.badInput("--draft-colour must be kept, free or auto, not '" + given + "'");
        }
        return c.equals(KEPT_COLOUR) ? null : c;
    }

    /** A request without tag guidance. */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift, GuidanceInterval cfgInterval, InitImage init, Double draftStrength,
            Integer draftAnchor, String draftColour) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, init, draftStrength,
                draftAnchor, draftColour, null);
    }

    /** A request whose anchor, if any, keeps every channel. */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift, GuidanceInterval cfgInterval, InitImage init, Double draftStrength,
            Integer draftAnchor) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, init, draftStrength,
                draftAnchor, null);
    }

    /** A request without a draft anchor. */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift, GuidanceInterval cfgInterval, InitImage init, Double draftStrength) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, init, draftStrength, null);
    }

    /** A request without a draft. */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift, GuidanceInterval cfgInterval, InitImage init) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, init, null);
    }

    /** A text-to-image request (no init image) with guidance at every t. */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, GuidanceInterval.ALWAYS, null, null);
    }

    /** A text-to-image request (no init image). */
    public GenerateRequest(String prompt, String negative, int steps, double cfg, long seed, int n, int size,
            String sampler, double shift, GuidanceInterval cfgInterval) {
        this(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, null, null);
    }

    public GenerateRequest withSeed(long newSeed) {
        return new GenerateRequest(prompt, negative, steps, cfg, newSeed, n, size, sampler, shift, cfgInterval, init,
                draftStrength, draftAnchor, draftColour, tagGuidance);
    }

    public GenerateRequest withN(int newN) {
        return new GenerateRequest(prompt, negative, steps, cfg, seed, newN, size, sampler, shift, cfgInterval, init,
                draftStrength, draftAnchor, draftColour, tagGuidance);
    }

    public GenerateRequest withTagGuidance(Double w) {
        return new GenerateRequest(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, init,
                draftStrength, draftAnchor, draftColour, w);
    }

    public GenerateRequest withInit(InitImage newInit) {
        return new GenerateRequest(prompt, negative, steps, cfg, seed, n, size, sampler, shift, cfgInterval, newInit);
    }

    /**
     * The first tag that {@link #tagGuidance} guides toward: the prompt's text before its first comma, as tag
     * dropout trained it ({@link dev.ldm.text.PromptTags#firstTag}); null when there is no tag guidance or the prompt is one tag.
     */
    public String guidedTag() {
        if (tagGuidance == null) {
            return null;
        }
        String tag = dev.ldm.text.PromptTags.firstTag(prompt);
        return tag.equals(prompt) ? null : tag;
    }

    /** Image i of this batch as a request of its own: seed + i, n = 1. */
    public GenerateRequest image(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("image " + i + " of a batch of " + n);
        }
        return withSeed(seed + i).withN(1);
    }
}
