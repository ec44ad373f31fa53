package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The behaviour every refused input must show: the documented exit code, one error line on stderr
 * that names the file and the problem, no stack trace (unless --verbose), nothing on stdout, and
 * no file written anywhere.
 */
final class Expect {
    private static final Pattern STACK_LINE = Pattern.compile("^\\s+at [\\w.$/<>]+\\(.*\\)\\s*$");
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b\\w+(Exception|Error)\\b");

    private Expect() {}

    /**
     * A refusal: {@code code}, then exactly one error line (picocli's usage errors add one "try
     * 'ldm ... --help'" line) containing every fragment, case-insensitively.
     */
    static void refused(Ldm.Run r, int code, String... fragments) {
        String why = r.describe();
        assertEquals(code, r.code(), why);
        noStackTrace(r);
        List<String> lines = r.errLines();
        assertFalse(lines.isEmpty(), "no error message: " + why);
        String error = lines.get(0);
        assertTrue(error.startsWith("ldm: "), "error line must start with 'ldm: ': " + why);
        assertFalse(error.startsWith("ldm: internal error"), "a user error reported as an internal one: " + why);
        if (lines.size() == 2) {
            assertTrue(lines.get(1).startsWith("try 'ldm"), "more than one error line: " + why);
        } else {
            assertEquals(1, lines.size(), "more than one error line: " + why);
        }
        for (String f : fragments) {
            assertTrue(error.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)),
                    "error line lacks '" + f + "': " + why);
        }
        assertTrue(r.out().isBlank(), "a refused command printed results: " + why);
        noControlCharacters(r.err(), why);
    }

    /** Text from files may reach the terminal only with its control characters escaped. */
    static void noControlCharacters(String printed, String why) {
        for (char c : printed.toCharArray()) {
            if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
                fail(String.format("control character U+%04X printed to the terminal: %s", (int) c, why));
            }
        }
    }

    /** No Java stack frame and no raw exception class name anywhere in stderr. */
    static void noStackTrace(Ldm.Run r) {
        for (String line : r.err().split("\n")) {
            if (STACK_LINE.matcher(line).matches()) {
                fail("stack trace without --verbose:\n" + r.describe());
            }
            if (EXCEPTION_NAME.matcher(line).find()) {
                fail("raw exception name in a user-facing message:\n" + r.describe());
            }
        }
    }

    /** Every regular file below {@code dir} with its size and SHA-256, by relative path. */
    static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.size(p) + ":" + dev.ldm.io.Sha256.file(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Nothing below {@code dir} was created, changed or removed since {@code before}. */
    static void unchanged(Path dir, Map<String, String> before, Ldm.Run r) {
        assertEquals(before, files(dir), "files changed by a refused command: " + r.describe());
    }
}
