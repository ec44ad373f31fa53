package dev.ldm.batch;

import dev.ldm.LdmException;
import dev.ldm.request.RequestOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One text line of a batch file: a prompt, then optional overrides with {@code ldm generate}'s
 * option names ({@code a red fox --seed 3 --cfg 5 --negative "blue sky"}).
 *
 * <p>The prompt is everything before the first word that starts with {@code --} and a letter, taken
 * literally (apostrophes and quotes inside it are kept) unless the whole prompt is one double-quoted
 * string, which is unquoted, so {@code "a -- b --c"} can hold dashes. Override values may be quoted
 * with double quotes (backslash escapes {@code \"} and {@code \\}) or single quotes;
 * {@code --name=value} works too.
 */
final class PromptLineParser {
    private PromptLineParser() {}

    static RequestOptions parse(String line, String where) {
        int cut = optionStart(line);
        String prompt = unquotePrompt(line.substring(0, cut).strip(), where);
        if (prompt.isEmpty()) {
            throw LdmException.badInput(where + ": the line has no prompt before its options");
        }
        RequestOptions o = RequestOptions.NONE.withPrompt(prompt);
        List<String> tokens = tokens(line.substring(cut), where);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!t.startsWith("--") || t.length() < 3) {
                throw LdmException.badInput(where + ": expected an option such as --seed, found '" + t + "'");
            }
            int eq = t.indexOf('=');
            String name = eq < 0 ? t.substring(2) : t.substring(2, eq);
            String value;
            if (eq >= 0) {
                value = t.substring(eq + 1);
            } else if (i + 1 < tokens.size()) {
                value = tokens.get(++i);
            } else {
                throw LdmException.badInput(where + ": --" + name + " needs a value");
            }
            if (o.has(name)) {
                throw LdmException.badInput(where + ": --" + name + " is given twice");
            }
            try {
                o = o.with(name, value);
            } catch (LdmException e) {
                throw LdmException.badInput(where + ": " + e.getMessage(), e);
            }
        }
        return o;
    }

    /**
     * Index of the first {@code --x} word outside double quotes, or the line's length. A prompt with
     * an unpaired double quote (a 12" record) is scanned again without quote tracking.
     */
    static int optionStart(String line) {
        return optionStart(line, true);
    }

    private static int optionStart(String line, boolean trackQuotes) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (trackQuotes && c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '-' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))
                    && line.startsWith("--", i) && i + 2 < line.length() && Character.isLetter(line.charAt(i + 2))) {
                return i;
            }
        }
        return quoted ? optionStart(line, false) : line.length();
    }

    /** A prompt that is exactly one double-quoted string loses its quotes; any other is kept as written. */
    private static String unquotePrompt(String p, String where) {
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            List<String> t = tokens(p, where);
            if (t.size() == 1) {
                return t.get(0);
            }
        }
        return p;
    }

    /** Splits on whitespace, honouring "double" (with backslash escapes) and 'single' quotes. */
    static List<String> tokens(String s, String where) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
                continue;
            }
            cur = cur == null ? new StringBuilder() : cur;
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw LdmException.badInput(where + ": unclosed " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}
