package dev.ldm.request;

import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one table of generation request fields: the name a user types ({@code --steps}, a prompt line's
 * option, a JSON key), the JSON alias some files use, the label AUTOMATIC1111 gives it in a
 * {@code parameters} chunk, how its text is parsed, and its keys in AUTOMATIC1111's web API
 * ({@code ldm serve}). A new request option is a row here, a
 * component of {@link dev.ldm.generate.GenerateRequest} and its use in the generator.
 */
public enum RequestField {
    PROMPT("prompt", null, null, Kind.TEXT, "prompt"),
    NEGATIVE("negative", null, "Negative prompt", Kind.TEXT, "negative_prompt"),
    STEPS("steps", null, "Steps", Kind.INTEGER, "steps"),
    CFG("cfg", null, "CFG scale", Kind.NUMBER, "cfg_scale"),
    SEED("seed", null, "Seed", Kind.WHOLE, "seed"),
    N("n", null, null, Kind.INTEGER, "batch_size"),
    SIZE("size", null, "Size", Kind.INTEGER, "width", "height"),
    SAMPLER("sampler", null, "Sampler", Kind.TEXT, "sampler_name", "sampler_index"),
    SHIFT("shift", null, "Shift", Kind.NUMBER),
    CFG_INTERVAL("cfg-interval", null, "CFG interval", Kind.TEXT),
    INIT_IMAGE("init-image", "init_image", null, Kind.TEXT, "init_images"),
    STRENGTH("strength", null, "Denoising strength", Kind.NUMBER, "denoising_strength"),
    DRAFT_STRENGTH("draft-strength", null, "Draft strength", Kind.NUMBER),
    DRAFT_ANCHOR("draft-anchor", null, "Draft anchor", Kind.INTEGER),
    DRAFT_COLOUR("draft-colour", null, "Draft colour", Kind.TEXT),
    TAG_GUIDANCE("tag-guidance", null, "Tag guidance", Kind.NUMBER);

    /** How a field's text becomes its value, and the value's Java type. */
    public enum Kind {
        TEXT(String.class), INTEGER(Integer.class), WHOLE(Long.class), NUMBER(Double.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }

        public Class<?> type() {
            return type;
        }
    }

    private final String option;
    private final String jsonAlias;
    private final String a1111;
    private final Kind kind;
    private final List<String> a1111Json;

    RequestField(String option, String jsonAlias, String a1111, Kind kind, String... a1111Json) {
        this.option = option;
        this.jsonAlias = jsonAlias;
        this.a1111 = a1111;
        this.kind = kind;
        this.a1111Json = List.of(a1111Json);
    }

    /** The name without "--": the command-line option, the prompt-line option and the JSON key. */
    public String option() {
        return option;
    }

    /** A second JSON key that means this field ({@code init_image}), or null. */
    public String jsonAlias() {
        return jsonAlias;
    }

    /** The label in an AUTOMATIC1111 {@code parameters} chunk, or null when A1111 has none. */
    public String a1111() {
        return a1111;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The keys of this field in AUTOMATIC1111's web API requests ({@code /sdapi/v1/txt2img}): several
     * where the API has aliases or splits the field (width and height for the square size); empty
     * where it has none. OpenAI's images API uses ldm's own names for the fields it has (prompt, n,
     * size).
     */
    public List<String> a1111Json() {
        return a1111Json;
    }

    /** The field an AUTOMATIC1111 web API request calls {@code key}. */
    public static Optional<RequestField> byA1111Json(String key) {
        return Arrays.stream(values()).filter(f -> f.a1111Json.contains(key)).findFirst();
    }

    /** The field named {@code option} (without "--"). */
    public static Optional<RequestField> byOption(String option) {
        return Arrays.stream(values()).filter(f -> f.option.equals(option)).findFirst();
    }

    /** The field AUTOMATIC1111 calls {@code label}. */
    public static Optional<RequestField> byA1111(String label) {
        return Arrays.stream(values()).filter(f -> label.equals(f.a1111)).findFirst();
    }

    /** Every option name but the prompt's (which is positional on the command line). */
    public static List<String> optionNames() {
        return Arrays.stream(values()).filter(f -> f != PROMPT).map(RequestField::option).toList();
    }

    /**
     * The value of this field's text, as typed after {@code --name}.
     *
     * @throws LdmException bad input for text of the wrong type
     */
    public Object parse(String text) {
        try {
            return switch (kind) {
                case TEXT -> this == CFG_INTERVAL ? GuidanceInterval.parse(text).toString() : text;
                case INTEGER -> Integer.parseInt(text.strip());
                case WHOLE -> Long.parseLong(text.strip());
                case NUMBER -> Double.parseDouble(text.strip());
            };
        } catch (NumberFormatException e) {
            throw LdmException.badInput("--" + option + ": '" + text + "' is not "
                    + (kind == Kind.NUMBER ? "a number" : "a whole number"));
        }
    }
}
