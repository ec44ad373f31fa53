package dev.ldm.image;

import dev.ldm.io.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AUTOMATIC1111 {@code parameters} text that image viewers, galleries and other tools read from a
 * PNG: the prompt, an optional {@code Negative prompt:} line, and one line of {@code Key: value}
 * pairs. Fields that a text does not give are null; keys ldm does not map are kept in {@code extra}.
 *
 * @param prompt the prompt, possibly several lines
 * @param negativePrompt the negative prompt, "" for none
 * @param steps sampling steps, or null
 * @param sampler sampler name, or null
 * @param cfgScale guidance scale, or null
 * @param seed seed, or null
 * @param width image width, or null (Size is written only with both)
 * @param height image height, or null
 * @param model model name, or null
 * @param modelHash model hash, or null
 * @param extra other keys in order (for example ldm's "Shift" or A1111's "Clip skip")
 */
public record A1111Parameters(String prompt, String negativePrompt, Integer steps, String sampler,
        Double cfgScale, Long seed, Integer width, Integer height, String model, String modelHash,
        Map<String, String> extra) {
    /** The PNG text-chunk keyword A1111 uses. */
    public static final String KEYWORD = "parameters";
    static final String NEGATIVE = "Negative prompt:";
    static final Set<String> KNOWN = Set.of("Steps", "Sampler", "CFG scale", "Seed", "Size", "Model", "Model hash");
    static final Pattern KEY = Pattern.compile("\\w[\\w \\-/.()+]*");

    public A1111Parameters {
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches() || e.getKey().endsWith(" ") || e.getValue() == null) {
                throw new IllegalArgumentException("not a usable parameters key/value: '" + e.getKey() + "'");
            }
        }
    }

    /** The text A1111 writes: prompt, negative prompt line when there is one, parameter line. */
    public String format() {
        StringBuilder sb = new StringBuilder(prompt);
        if (!negativePrompt.isEmpty()) {
            sb.append('\n').append(NEGATIVE).append(' ').append(negativePrompt);
        }
        List<String> pairs = new ArrayList<>();
        add(pairs, "Steps", steps);
        add(pairs, "Sampler", sampler == null ? null : quote(sampler));
        add(pairs, "CFG scale", cfgScale);
        add(pairs, "Seed", seed);
        add(pairs, "Size", width == null || height == null ? null : width + "x" + height);
        add(pairs, "Model", model == null ? null : quote(model));
        add(pairs, "Model hash", modelHash == null ? null : quote(modelHash));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (!KNOWN.contains(e.getKey()) || !mapped(e.getKey())) {
                add(pairs, e.getKey(), quote(e.getValue()));
            }
        }
        if (!pairs.isEmpty()) {
            sb.append('\n').append(String.join(", ", pairs));
        }
        return sb.toString();
    }

    /** Reads parameters text written by A1111 or a compatible tool, as far as it maps. */
    public static A1111Parameters parse(String text) {
        return A1111Parser.parse(text);
    }

    /** True when the known key has a field value here (then the field, not extra, is written). */
    private boolean mapped(String key) {
        switch (key) {
            case "Steps": return steps != null;
            case "Sampler": return sampler != null;
            case "CFG scale": return cfgScale != null;
            case "Seed": return seed != null;
            case "Size": return width != null && height != null;
            case "Model": return model != null;
            default: return modelHash != null;
        }
    }

    private static void add(List<String> pairs, String key, Object value) {
        if (value != null) {
            pairs.add(key + ": " + value);
        }
    }

    /** A1111's rule, widened so that every value reads back exactly: JSON-quote when ambiguous. */
    static String quote(String v) {
        boolean plain = !v.isEmpty() && v.indexOf(',') < 0 && v.indexOf('\n') < 0 && v.indexOf(':') < 0
                && v.indexOf('\r') < 0 && !v.startsWith("\"") && v.strip().equals(v);
        return plain ? v : Json.gson().toJson(v);
    }
}
