package dev.ldm.image;

import com.google.gson.JsonParseException;
import dev.ldm.io.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses AUTOMATIC1111 {@code parameters} text. Follows A1111's own reader: the last line holds the
 * parameters when it is entirely {@code Key: value} pairs (at least three, or one ldm maps, so that a
 * prompt such as "style: anime" stays a prompt); lines before it up to one starting with
 * {@code Negative prompt:} are the prompt, the rest the negative prompt. Values may be JSON-quoted.
 */
final class A1111Parser {
    private A1111Parser() {}

    static A1111Parameters parse(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        Map<String, String> pairs = null;
        if (!lines.isEmpty()) {
            pairs = pairs(lines.get(lines.size() - 1));
            boolean isParameters = pairs != null && (pairs.size() >= 3
                    || pairs.keySet().stream().anyMatch(A1111Parameters.KNOWN::contains));
            if (isParameters) {
                lines.remove(lines.size() - 1);
            } else {
                pairs = null;
            }
        }
        int neg = 0;
        while (neg < lines.size() && !lines.get(neg).startsWith(A1111Parameters.NEGATIVE)) {
            neg++;
        }
        String prompt = String.join("\n", lines.subList(0, neg));
        String negative = "";
        if (neg < lines.size()) {
            String rest = String.join("\n", lines.subList(neg, lines.size()))
                    .substring(A1111Parameters.NEGATIVE.length());
            negative = rest.startsWith(" ") ? rest.substring(1) : rest;
        }
        return build(prompt, negative, pairs);
    }

    private static A1111Parameters build(String prompt, String negative, Map<String, String> pairs) {
        Map<String, String> extra = new LinkedHashMap<>(pairs == null ? Map.of() : pairs);
        Integer steps = take(extra, "Steps", Integer::valueOf);
        String sampler = take(extra, "Sampler", s -> s);
        Double cfg = take(extra, "CFG scale", Double::valueOf);
        Long seed = take(extra, "Seed", Long::valueOf);
        int[] size = take(extra, "Size", A1111Parser::size);
        String model = take(extra, "Model", s -> s);
        String hash = take(extra, "Model hash", s -> s);
        return new A1111Parameters(prompt, negative, steps, sampler, cfg, seed,
                size == null ? null : size[0], size == null ? null : size[1], model, hash, extra);
    }

    /** Removes and converts a known key; a value that does not convert stays in extra. */
    private static <T> T take(Map<String, String> extra, String key, java.util.function.Function<String, T> parse) {
        String v = extra.get(key);
        if (v == null) {
            return null;
        }
        try {
            T value = parse.apply(v.strip());
            extra.remove(key);
            return value;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int[] size(String v) {
        String[] wh = v.split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException(v);
        }
        return new int[] {Integer.parseInt(wh[0].strip()), Integer.parseInt(wh[1].strip())};
    }

    /** The line as ordered pairs, or null when it is not entirely {@code Key: value} pairs. */
    static Map<String, String> pairs(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = skipSpaces(line, 0);
        while (i < line.length()) {
            int colon = line.indexOf(':', i);
            if (colon < 0) {
                return null;
            }
            String key = line.substring(i, colon);
            if (!A1111Parameters.KEY.matcher(key).matches() || key.endsWith(" ")) {
                return null;
            }
            int at = skipSpaces(line, colon + 1);
            int end;
            String value;
            if (at < line.length() && line.charAt(at) == '"') {
                end = closingQuote(line, at);
                if (end < 0) {
                    return null;
                }
                value = unquote(line.substring(at, end + 1));
                if (value == null) {
                    return null;
                }
                end++;
            } else {
                end = line.indexOf(',', at);
                end = end < 0 ? line.length() : end;
                value = line.substring(at, end);
            }
            out.putIfAbsent(key, value);
            int next = skipSpaces(line, end);
            if (next < line.length() && line.charAt(next) != ',') {
                return null;
            }
            i = skipSpaces(line, next + 1);
        }
        return out.isEmpty() ? null : out;
    }

    private static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String quoted) {
        try {
            return Json.gson().fromJson(quoted, String.class);
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
