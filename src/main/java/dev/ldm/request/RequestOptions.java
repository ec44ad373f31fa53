package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.Samplers;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.InitImage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generation settings in which any field may be unset: what a command line, one line of a batch
 * file or a PNG's stored settings say. The fields are the rows of {@link RequestField}. Layers
 * combine with {@link #orElse} (the first set value wins) and {@link #resolve} fills the rest from
 * the model's defaults into a validated request. Immutable.
 */
public final class RequestOptions {
    /** Nothing set. */
    public static final RequestOptions NONE = new RequestOptions(new EnumMap<>(RequestField.class));

    /** The option names (without "--") that {@link #with} accepts besides "prompt". */
    public static final List<String> NAMES = RequestField.optionNames();

    private final Map<RequestField, Object> values;

    private RequestOptions(EnumMap<RequestField, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** These options with {@code field} set to {@code value} (of the field's type), or unset when null. */
    public RequestOptions set(RequestField field, Object value) {
        if (value != null && !field.kind().type().isInstance(value)) {
            throw new IllegalArgumentException(field + " takes a " + field.kind().type().getSimpleName() + ", not "
                    + value.getClass().getSimpleName());
        }
        EnumMap<RequestField, Object> m = copy();
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return new RequestOptions(m);
    }

    /**
     * These options with {@code field} set from its text (checked as {@link #with(String, String)}), or
     * unset when null.
     */
    public RequestOptions with(RequestField field, String text) {
        return text == null ? set(field, null) : set(field, field.parse(text));
    }

    /**
     * These options with one field set from its text (as typed after {@code --name}).
     *
     * @throws LdmException bad input for an unknown name or a value of the wrong type
     */
    public RequestOptions with(String name, String value) {
        RequestField f = RequestField.byOption(name).orElseThrow(() -> LdmException.badInput(
                "unknown option '--" + name + "' (known: --" + String.join(", --", NAMES) + ")"));
        return set(f, f.parse(value));
    }

    /** Field by field: this value where set, else {@code fallback}'s. */
    public RequestOptions orElse(RequestOptions fallback) {
        EnumMap<RequestField, Object> m = new EnumMap<>(RequestField.class);
        m.putAll(fallback.values);
        m.putAll(values);
        return new RequestOptions(m);
    }

    /** True when the named field (an option name or "prompt") is set. */
    public boolean has(String name) {
        return RequestField.byOption(name).map(values::containsKey).orElse(false);
    }

    public RequestOptions withSeed(Long s) {
        return set(RequestField.SEED, s);
    }

    public RequestOptions withPrompt(String p) {
        return set(RequestField.PROMPT, p);
    }

    public RequestOptions withInitImage(String path) {
        return set(RequestField.INIT_IMAGE, path);
    }

    public String prompt() {
        return (String) values.get(RequestField.PROMPT);
    }

    public String negative() {
        return (String) values.get(RequestField.NEGATIVE);
    }

    public Integer steps() {
        return (Integer) values.get(RequestField.STEPS);
    }

    public Double cfg() {
        return (Double) values.get(RequestField.CFG);
    }

    public Long seed() {
        return (Long) values.get(RequestField.SEED);
    }

    public Integer n() {
        return (Integer) values.get(RequestField.N);
    }

    public Integer size() {
        return (Integer) values.get(RequestField.SIZE);
    }

    public String sampler() {
        return (String) values.get(RequestField.SAMPLER);
    }

    public Double shift() {
        return (Double) values.get(RequestField.SHIFT);
    }

    /** "FROM,TO" (checked when set), or null. */
    public String cfgInterval() {
        return (String) values.get(RequestField.CFG_INTERVAL);
    }

    public String initImage() {
        return (String) values.get(RequestField.INIT_IMAGE);
    }

    public Double strength() {
        return (Double) values.get(RequestField.STRENGTH);
    }

    public Double draftStrength() {
        return (Double) values.get(RequestField.DRAFT_STRENGTH);
    }

    public Integer draftAnchor() {
        return (Integer) values.get(RequestField.DRAFT_ANCHOR);
    }

    public String draftColour() {
        return (String) values.get(RequestField.DRAFT_COLOUR);
    }

    public Double tagGuidance() {
        return (Double) values.get(RequestField.TAG_GUIDANCE);
    }

    /**
     * A validated request: unset fields from the model's defaults, the seed from {@code seedIfUnset},
     * the init image (if any) read and hashed now. The sampler name is checked too. A model with a
     * draft model redraws its draft from the defaults' strength unless an init image is given.
     *
     * @throws LdmException bad input for a missing prompt or any invalid value
     */
    public GenerateRequest resolve(ModelManifest.Defaults d, long seedIfUnset) {
        if (prompt() == null) {
            throw LdmException.badInput("the prompt is missing");
        }
        InitImage init = null;
        if (initImage() != null) {
            init = InitImage.of(initImage(), strength() != null ? strength() : InitImage.DEFAULT_STRENGTH);
        } else if (strength() != null) {
            InitImage.checkStrength(strength());
            throw LdmException.badInput("--strength needs --init-image");
        }
        String s = (sampler() != null ? sampler() : d.sampler()).strip().toLowerCase(Locale.ROOT);
        Samplers.byName(s);
        Double draft = draft(d, init != null);
        Integer anchor = d.draftAnchor(draftAnchor(), draft);
        return new GenerateRequest(prompt(), negative(), steps() != null ? steps() : d.steps(),
                cfg() != null ? cfg() : d.cfg(), seed() != null ? seed() : seedIfUnset, n() != null ? n() : 1,
                size() != null ? size() : d.size(), s, shift() != null ? shift() : d.shift(),
                d.guidanceInterval(cfgInterval()), init, draft, anchor, d.draftColour(draftColour(), anchor),
                init != null && tagGuidance() == null ? null : d.tagGuidance(tagGuidance())); // none for img2img
    }

    /** The draft strength: as given, else the model's (none with an init image); 1 = no draft. */
    private Double draft(ModelManifest.Defaults d, boolean initImage) {
        return initImage && draftStrength() == null ? null : d.draftStrength(draftStrength());
    }

    private EnumMap<RequestField, Object> copy() {
        EnumMap<RequestField, Object> m = new EnumMap<>(RequestField.class);
        m.putAll(values);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOptions r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "RequestOptions" + values;
    }
}
