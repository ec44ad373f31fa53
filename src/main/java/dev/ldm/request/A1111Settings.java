package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.image.A1111Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an AUTOMATIC1111 {@code parameters} text (written by A1111, ComfyUI exporters, ldm) to ldm
 * settings: prompt, Negative prompt, Steps, CFG scale, Seed, Size (square only), Sampler and ldm's
 * own Shift and CFG interval. Samplers map by family: Euler and "Euler a" → euler (ancestral
 * noise is not reproduced), Heun → heun, SDE → sde; any other sampler, and a non-square size, is reported as
 * unmapped so the caller can refuse it unless the option is given explicitly.
 */
final class A1111Settings {
    private A1111Settings() {}

    static StoredSettings map(Path png, String text) {
        A1111Parameters p;
        try {
            p = A1111Parameters.parse(text);
        } catch (RuntimeException e) {
            throw LdmException.badInput(png + ": malformed parameters chunk (" + e.getMessage() + ")", e);
        }
        Map<String, String> unmapped = new LinkedHashMap<>();
        RequestOptions o = RequestOptions.NONE.set(RequestField.PROMPT, p.prompt())
                .set(RequestField.NEGATIVE, p.negativePrompt()).set(RequestField.STEPS, p.steps())
                .set(RequestField.CFG, p.cfgScale()).set(RequestField.SEED, p.seed());
        if (p.width() != null && p.width().equals(p.height())) {
            o = o.with("size", String.valueOf(p.width()));
        } else if (p.width() != null) {
            unmapped.put("size", png + ": Size " + p.width() + "x" + p.height()
                    + " is not square; ldm renders square images, pass --size");
        }
        if (p.sampler() != null) {
            String s = sampler(p.sampler());
            if (s == null) {
                unmapped.put("sampler", png + ": sampler '" + p.sampler()
                        + "' has no ldm equivalent; pass --sampler euler, heun or sde");
            } else {
                o = o.with("sampler", s);
            }
        }
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : p.extra().entrySet()) {
            o = extra(o, e.getKey(), e.getValue(), png, unmapped, ignored);
        }
        return new StoredSettings(png, A1111Parameters.KEYWORD, o, null, null, p.model(), p.modelHash(),
                Map.copyOf(unmapped), List.copyOf(ignored), null);
    }

    /** One key that A1111Parameters did not map: ldm's Shift, a known key whose value did not parse, or other. */
    private static RequestOptions extra(RequestOptions o, String key, String value, Path png,
            Map<String, String> unmapped, List<String> ignored) {
        // ldm's own Shift and CFG interval, and the numeric keys A1111Parameters could not parse
        String option = RequestField.byA1111(key).filter(f -> (f.kind() != RequestField.Kind.TEXT
                || f == RequestField.CFG_INTERVAL) && f != RequestField.STRENGTH).map(RequestField::option)
                .orElse(null);
        if (option == null) {
            ignored.add(key);
            return o;
        }
        try {
            return o.with(option, value);
        } catch (LdmException e) {
            unmapped.put(option, png + ": " + key + " '" + value + "' is not usable; pass --" + option);
            return o;
        }
    }

    /** ldm's sampler for an A1111 sampler label, or null when there is none. */
    static String sampler(String label) {
        return Samplers.fromA1111(label);
    }
}
