package dev.ldm.judge;

import dev.ldm.LdmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a caption becomes a class label for the judge. {@code caption}: the whole caption is the class
 * ("a red circle", ldm's shapes set). {@code concept}: the caption without a trailing
 * ", &lt;style&gt; style" ("fox, twemoji style" → "fox", the emoji set), so that one class holds a
 * concept in every artist's hand. Both fold case and white space, so "A  Red circle" and
 * "a red circle" are one class.
 */
public enum LabelRule {
    CAPTION, CONCEPT;

    private static final Pattern STYLE_SUFFIX = Pattern.compile(",\\s*[^,]*\\bstyle\\s*$");

    /** The class label of a caption or prompt. */
    public String label(String caption) {
        String s = caption.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (this == CONCEPT) {
            s = STYLE_SUFFIX.matcher(s).replaceFirst("").strip();
        }
        return s;
    }

    /** The option value: caption or concept. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LabelRule parse(String text) {
        for (LabelRule r : values()) {
            if (r.word().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return r;
            }
        }
        throw LdmException.badInput("--label must be caption or concept, not '" + text + "'");
    }
}
