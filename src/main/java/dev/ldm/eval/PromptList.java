package dev.ldm.eval;

import dev.ldm.LdmException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An evaluation prompt file: UTF-8, one prompt per line, taken literally (a prompt may hold
 * {@code #} or {@code --}); blank lines and lines starting with {@code #} are skipped. A {@code .jsonl}
 * file instead holds one object per line, {@code {"prompt": "a red fox", "label": "fox"}}, for
 * prompts whose class the judge's label rule cannot read off the text, and optionally
 * {@code "colour": "red"}, the colour word its images should show, and {@code "group": "drawing"},
 * a group whose accuracy is reported on its own as well.
 */
public final class PromptList {
    /** Largest prompt file read. */
    static final long MAX_BYTES = 16L << 20;
    /** Longest group name. */
    static final int MAX_GROUP = 64;

    private PromptList() {}

    public static List<EvalPrompt> read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw LdmException.badInput(file + ": prompt file larger than " + MAX_BYTES + " bytes");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw LdmException.badInput(file + ": not UTF-8", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        String where = file.toString();
        List<String> lines = parse(text, where);
        if (!where.toLowerCase(java.util.Locale.ROOT).endsWith(".jsonl")) {
            return lines.stream().map(p -> new EvalPrompt(p, null)).toList();
        }
        List<EvalPrompt> out = new ArrayList<>();
        for (String line : lines) {
            EvalPrompt p = dev.ldm.io.Json.parse(line, EvalPrompt.class, where);
            if (p == null || p.prompt() == null || p.prompt().isBlank()) {
                throw LdmException.badInput(where + ": a line has no \"prompt\": " + line);
            }
            if (p.colour() != null && !dev.ldm.image.DominantColour.WORDS.contains(p.colour())) {
                throw LdmException.badInput(where + ": \"colour\" must be one of "
                        + new java.util.TreeSet<>(dev.ldm.image.DominantColour.WORDS) + ", not '" + p.colour() + "'");
            }
            if (p.group() != null && (p.group().isBlank() || p.group().length() > MAX_GROUP)) {
                throw LdmException.badInput(where + ": \"group\" must be a name of 1 to " + MAX_GROUP
                        + " characters: " + line);
            }
            out.add(p);
        }
        return out;
    }

    static List<String> parse(String text, String where) {
        List<String> out = new ArrayList<>();
        for (String line : text.replace("\uFEFF", "").split("\\r?\\n")) {
            String p = line.strip();
            if (!p.isEmpty() && !p.startsWith("#")) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw LdmException.badInput(where + ": no prompts");
        }
        return out;
    }
}
