package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which sentence templates the last caption line of {@code ldm data emoji --templates[=SET]} draws
 * from: the first {@link #count()} of {@link CaptionTemplate#TEMPLATES}.
 */
public enum TemplateSet {
    /** No template line. */
    NONE("none", 0),
    /**
     * The first eight: the template line of one of the two 80,000-step continuations in the shipped
     * draft's history.
     */
    EIGHT("eight", 8),
    /**
     * All of them. A concept seen in more wordings carries through one it never saw: "a drawing of a
     * fox" is drawn as the fox more often (docs/RESEARCH.md, "45 sentence templates").
     */
    WIDE("wide", CaptionTemplate.TEMPLATES.size());

    private final String word;
    private final int count;

    TemplateSet(String word, int count) {
        this.word = word;
        this.count = count;
    }

    /** The option value: {@code none}, {@code eight}, {@code wide}. */
    public String word() {
        return word;
    }

    /** How many templates, from the first, the set holds. */
    public int count() {
        return count;
    }

    /** The templates themselves, in the order the hash indexes them. */
    public List<String> templates() {
        return CaptionTemplate.TEMPLATES.subList(0, count);
    }

    /** The set an option value names; a one-line error lists the values otherwise. */
    public static TemplateSet parse(String word) {
        for (TemplateSet s : values()) {
            if (s.word.equals(word.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw LdmException.badInput("--templates must be one of "
                + String.join(", ", Arrays.stream(values()).map(TemplateSet::word).toList()) + ", not '" + word + "'");
    }
}
