package dev.ldm.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One spelling for every prompt and caption, applied before tokenising both at training and at
 * sampling time, so that "Côte d’Ivoire" in an emoji label and "cote d'ivoire" typed by a user give
 * the same tokens. Folds typographic punctuation and accents to ASCII, lower-cases and collapses
 * whitespace (DATA.md). Characters with no ASCII form (CJK, emoji) are kept for the tokenizer.
 */
public final class PromptText {
    /** Characters that Unicode decomposition leaves alone but that have an obvious ASCII spelling. */
    private static final Map<Character, String> FOLD = Map.ofEntries(
            Map.entry('\u2018', "'"), Map.entry('\u2019', "'"), Map.entry('\u201A', "'"),
            Map.entry('\u201B', "'"), Map.entry('\u2032', "'"), Map.entry('\u00B4', "'"),
            Map.entry('`', "'"), Map.entry('\u201C', "\""), Map.entry('\u201D', "\""),
            Map.entry('\u201E', "\""), Map.entry('\u201F', "\""), Map.entry('\u2033', "\""),
            Map.entry('\u00AB', "\""), Map.entry('\u00BB', "\""), Map.entry('\u2010', "-"),
            Map.entry('\u2011', "-"), Map.entry('\u2012', "-"), Map.entry('\u2013', "-"),
            Map.entry('\u2014', "-"), Map.entry('\u2015', "-"), Map.entry('\u2212', "-"),
            Map.entry('\u2026', "..."), Map.entry('\u2044', "/"), Map.entry('\u00D7', "x"),
            Map.entry('\u00DF', "ss"), Map.entry('\u00E6', "ae"), Map.entry('\u0153', "oe"),
            Map.entry('\u00F8', "o"), Map.entry('\u0142', "l"), Map.entry('\u0111', "d"),
            Map.entry('\u00F0', "d"), Map.entry('\u00FE', "th"), Map.entry('\u0131', "i"));
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}+");
    private static final Pattern SPACE = Pattern.compile("[\\s\\p{Z}\\p{Cc}]+");

    private PromptText() {}

    /** The normal form of a prompt: ASCII punctuation and letters where possible, lower case, single spaces. */
    public static String normalize(String prompt) {
        String s = prompt.toLowerCase(Locale.ROOT);
        s = Normalizer.normalize(s, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("");
        s = INVISIBLE.matcher(s).replaceAll("");
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String folded = FOLD.get(c);
            if (folded != null) {
                out.append(folded);
            } else {
                out.append(c);
            }
        }
        return SPACE.matcher(out).replaceAll(" ").trim();
    }
}
