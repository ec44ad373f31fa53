package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.InitImage;
import java.util.List;
import java.util.Locale;

/**
 * Generation settings in which any field may be unset (null): what a command line, one line of a
 * batch file or a PNG's stored settings say. Layers combine with {@link #orElse} (the first set
 * value wins) and {@link #resolve} fills the rest from the model's defaults into a validated
 * request. Field names are the command-line option names of {@code ldm generate}.
 *
 * @param prompt what to draw
 * @param negative negative prompt
 * @param steps sampler steps
 * @param cfg guidance scale
 * @param seed seed of the first image
 * @param n images, rendered as one batch
 * @param size image side in pixels
 * @param sampler sampler name
 * @param shift timestep shift
 * @param initImage path of the img2img init image
 * @param strength img2img strength in [0, 1]
 */
public record RequestOptions(String prompt, String negative, Integer steps, Double cfg, Long seed, Integer n,
        Integer size, String sampler, Double shift, String initImage, Double strength) {
    /** Nothing set. */
    public static final RequestOptions NONE = new RequestOptions(null, null, null, null, null, null, null, null,
            null, null, null);

    /** The option names (without "--") that {@link #with} accepts besides "prompt". */
    public static final List<String> NAMES = List.of("negative", "steps", "cfg", "seed", "n", "size", "sampler",
            "shift", "init-image", "strength");

    /** Field by field: this value where set, else {@code fallback}'s. */
    public RequestOptions orElse(RequestOptions fallback) {
        return new RequestOptions(or(prompt, fallback.prompt), or(negative, fallback.negative),
                or(steps, fallback.steps), or(cfg, fallback.cfg), or(seed, fallback.seed), or(n, fallback.n),
                or(size, fallback.size), or(sampler, fallback.sampler), or(shift, fallback.shift),
                or(initImage, fallback.initImage), or(strength, fallback.strength));
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    /**
     * These options with one field set from its text (as typed after {@code --name}).
     *
     * @throws LdmException bad input for an unknown name or a value of the wrong type
     */
    public RequestOptions with(String name, String value) {
        return switch (name) {
            case "prompt" -> new RequestOptions(value, negative, steps, cfg, seed, n, size, sampler, shift,
                    initImage, strength);
            case "negative" -> new RequestOptions(prompt, value, steps, cfg, seed, n, size, sampler, shift,
                    initImage, strength);
            case "steps" -> new RequestOptions(prompt, negative, integer(name, value), cfg, seed, n, size, sampler,
                    shift, initImage, strength);
            case "cfg" -> new RequestOptions(prompt, negative, steps, number(name, value), seed, n, size, sampler,
                    shift, initImage, strength);
            case "seed" -> withSeed(whole(name, value));
            case "n" -> new RequestOptions(prompt, negative, steps, cfg, seed, integer(name, value), size, sampler,
                    shift, initImage, strength);
            case "size" -> new RequestOptions(prompt, negative, steps, cfg, seed, n, integer(name, value), sampler,
                    shift, initImage, strength);
            case "sampler" -> new RequestOptions(prompt, negative, steps, cfg, seed, n, size, value, shift,
                    initImage, strength);
            case "shift" -> new RequestOptions(prompt, negative, steps, cfg, seed, n, size, sampler,
                    number(name, value), initImage, strength);
            case "init-image" -> new RequestOptions(prompt, negative, steps, cfg, seed, n, size, sampler, shift,
                    value, strength);
            case "strength" -> new RequestOptions(prompt, negative, steps, cfg, seed, n, size, sampler, shift,
                    initImage, number(name, value));
            default -> throw LdmException.badInput("unknown option '--" + name + "' (known: --"
                    + String.join(", --", NAMES) + ")");
        };
    }

    /** True when the named field (an option name or "prompt") is set. */
    public boolean has(String name) {
        return switch (name) {
            case "prompt" -> prompt != null;
            case "negative" -> negative != null;
            case "steps" -> steps != null;
            case "cfg" -> cfg != null;
            case "seed" -> seed != null;
            case "n" -> n != null;
            case "size" -> size != null;
            case "sampler" -> sampler != null;
            case "shift" -> shift != null;
            case "init-image" -> initImage != null;
            case "strength" -> strength != null;
            default -> false;
        };
    }

    public RequestOptions withSeed(Long s) {
        return new RequestOptions(prompt, negative, steps, cfg, s, n, size, sampler, shift, initImage, strength);
    }

    public RequestOptions withPrompt(String p) {
        return new RequestOptions(p, negative, steps, cfg, seed, n, size, sampler, shift, initImage, strength);
    }

    public RequestOptions withInitImage(String path) {
        return new RequestOptions(prompt, negative, steps, cfg, seed, n, size, sampler, shift, path, strength);
    }

    /**
     * A validated request: unset fields from the model's defaults, the seed from {@code seedIfUnset},
     * the init image (if any) read and hashed now. The sampler name is checked too.
     *
     * @throws LdmException bad input for a missing prompt or any invalid value
     */
    public GenerateRequest resolve(ModelManifest.Defaults d, long seedIfUnset) {
        if (prompt == null) {
            throw LdmException.badInput("the prompt is missing");
        }
        InitImage init = null;
        if (initImage != null) {
            init = InitImage.of(initImage, strength != null ? strength : InitImage.DEFAULT_STRENGTH);
        } else if (strength != null) {
            InitImage.checkStrength(strength);
            throw LdmException.badInput("--strength needs --init-image");
        }
        String s = (sampler != null ? sampler : d.sampler()).strip().toLowerCase(Locale.ROOT);
        Samplers.byName(s);
        return new GenerateRequest(prompt, negative, steps != null ? steps : d.steps(), cfg != null ? cfg : d.cfg(),
                seed != null ? seed : seedIfUnset, n != null ? n : 1, size != null ? size : d.size(), s,
                shift != null ? shift : d.shift(), init);
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw LdmException.badInput("--" + name + ": '" + v + "' is not a whole number");
        }
    }

    private static long whole(String name, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw LdmException.badInput("--" + name + ": '" + v + "' is not a whole number");
        }
    }

    private static double number(String name, String v) {
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw LdmException.badInput("--" + name + ": '" + v + "' is not a number");
        }
    }
}
