package dev.ldm.request;

import dev.ldm.LdmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one table of generation request fields: the name a user types ({@code --steps}, a prompt line's
 * option, a JSON key), the JSON alias some files use, the label AUTOMATIC1111 gives it in a
 * {@code parameters} chunk, and how its text is parsed. A new request option is a row here, a
 * component of {@link dev.ldm.generate.GenerateRequest} and its use in the generator.
 */
public enum RequestField {
    PROMPT("prompt", null, null, Kind.TEXT),
    NEGATIVE("negative", null, "Negative prompt", Kind.TEXT),
    STEPS("steps", null, "Steps", Kind.INTEGER),
    CFG("cfg", null, "CFG scale", Kind.NUMBER),
    SEED("seed", null, "Seed", Kind.WHOLE),
    N("n", null, null, Kind.INTEGER),
    SIZE("size", null, "Size", Kind.INTEGER),
    SAMPLER("sampler", null, "Sampler", Kind.TEXT),
    SHIFT("shift", null, "Shift", Kind.NUMBER),
    INIT_IMAGE("init-image", "init_image", null, Kind.TEXT),
    STRENGTH("strength", null, "Denoising strength", Kind.NUMBER);

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

    RequestField(String option, String jsonAlias, String a1111, Kind kind) {
        this.option = option;
        this.jsonAlias = jsonAlias;
        this.a1111 = a1111;
        this.kind = kind;
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
                case TEXT -> text;
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
