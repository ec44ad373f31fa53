package dev.ldm.data.emoji;

import dev.ldm.LdmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An emoji's code-point sequence in one canonical spelling, so that the three packages and the label
 * data join: emoji-datasource writes {@code 0023-FE0F-20E3}, Fluent 3D file names {@code 23-fe0f-20e3}
 * or {@code 1f3f4_e0067_e0062} and emojibase sometimes leaves FE0F out. Normalisation (DATA.md): split
 * on {@code -} or {@code _}, drop FE0F (variation selector) and E007F (tag terminator), upper-case,
 * pad to four hex digits, join with {@code -}.
 *
 * @param value the canonical form, such as {@code 1F98A} or {@code 0023-20E3}
 */
public record EmojiKey(String value) implements Comparable<EmojiKey> {
    /** The five Fitzpatrick modifiers, light to dark: light, medium-light, medium, medium-dark, dark. */
    public static final List<String> SKIN_TONES = List.of("1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF");
    private static final Set<String> DROPPED = Set.of("FE0F", "E007F");

    public EmojiKey {
        if (value == null || !value.matches("[0-9A-F]{4,6}(-[0-9A-F]{4,6})*")) {
            throw new IllegalArgumentException("not a normalised emoji key: '" + value + "'");
        }
    }

    /**
     * Parses any of the spellings above (a file name without its extension, a {@code unified} or
     * {@code hexcode} field).
     *
     * @param what names the source in the error message
     */
    public static EmojiKey parse(String raw, String what) {
        List<String> parts = new ArrayList<>();
        for (String p : raw.trim().split("[-_]")) {
            if (p.isEmpty()) {
                continue;
            }
            if (!p.matches("[0-9A-Fa-f]{1,6}")) {
                throw LdmException.badInput(what + ": '" + raw + "' is not a code-point sequence");
            }
            String hex = p.toUpperCase(Locale.ROOT).replaceFirst("^0+(?=[0-9A-F]{4})", "");
            if (!DROPPED.contains(hex)) {
                parts.add("0".repeat(Math.max(0, 4 - hex.length())) + hex);
            }
        }
        if (parts.isEmpty()) {
            throw LdmException.badInput(what + ": '" + raw + "' has no code points");
        }
        return new EmojiKey(String.join("-", parts));
    }

    /** The code points, in order. */
    public List<String> codePoints() {
        return List.of(value.split("-"));
    }

    /**
     * True for a skin-tone variant: a skin-tone modifier applied to another emoji. The five tone
     * swatches themselves (a key that is only a modifier) are base emoji, not variants.
     */
    public boolean isSkinToneVariant() {
        return !concept().equals(this);
    }

    /**
     * The concept this image draws, the key without skin-tone modifiers: a skin-tone variant belongs
     * to its base emoji's concept, so the split never trains on one tone and tests on another.
     */
    public EmojiKey concept() {
        List<String> kept = codePoints().stream().filter(c -> !SKIN_TONES.contains(c)).toList();
        return kept.isEmpty() ? this : new EmojiKey(String.join("-", kept));
    }

    /** This key with every occurrence of one skin-tone modifier replaced by another. */
    public EmojiKey replaceTone(String from, String to) {
        List<String> out = codePoints().stream().map(c -> c.equals(from) ? to : c).toList();
        return new EmojiKey(String.join("-", out));
    }

    /** The emoji as text (its code points as characters). */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String c : codePoints()) {
            sb.appendCodePoint(Integer.parseInt(c, 16));
        }
        return sb.toString();
    }

    @Override
    public int compareTo(EmojiKey o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
