package dev.ldm.batch;

import com.google.gson.JsonObject;
import dev.ldm.LdmException;
import dev.ldm.request.JsonOptions;
import dev.ldm.request.RequestField;
import dev.ldm.request.RequestOptions;
import dev.ldm.request.StoredSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch file for {@code ldm batch}: UTF-8 (a byte-order mark is skipped, CRLF line ends work), one
 * prompt per line with optional overrides ({@link PromptLineParser}), blank lines and lines starting
 * with {@code #} ignored. A {@code .jsonl} file, or any line starting with '{', is JSON instead:
 * {@code {"prompt": "a red fox", "seed": 3, "cfg": 5, "init-image": "fox.png"}} with the same
 * field names. Init image paths are relative to the batch file's folder.
 */
public final class PromptFile {
    /** Largest batch file read. */
    public static final long MAX_BYTES = 64L << 20;
    private static final Map<String, String> JSON_FIELDS = jsonFields();

    private PromptFile() {}

    public static List<PromptLine> read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        boolean jsonl = name.toLowerCase(java.util.Locale.ROOT).endsWith(".jsonl");
        return parse(text(file), file.toString(), jsonl, file.toAbsolutePath().getParent());
    }

    /**
     * @param text the file's text
     * @param name the file name for messages ({@code name:line})
     * @param jsonl every prompt line is JSON
     * @param base folder that relative init image paths are resolved against, or null to keep them
     */
    public static List<PromptLine> parse(String text, String name, boolean jsonl, Path base) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = body.split("\n", -1);
        List<PromptLine> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1);
            RequestOptions o = jsonl || s.startsWith("{") ? json(s, where) : PromptLineParser.parse(s, where);
            if (o.initImage() != null && base != null) {
                o = o.withInitImage(resolve(base, o.initImage(), where));
            }
            out.add(new PromptLine(name, i + 1, out.size(), o));
        }
        return out;
    }

    private static RequestOptions json(String line, String where) {
        JsonObject o = JsonOptions.parseObject(line, where);
        RequestOptions r = JsonOptions.read(o, JSON_FIELDS, where);
        if (r.prompt() == null || r.prompt().isBlank()) {
            throw LdmException.badInput(where + ": the line has no \"prompt\"");
        }
        return r;
    }

    private static String resolve(Path base, String path, String where) {
        try {
            return base.resolve(path).toString();
        } catch (java.nio.file.InvalidPathException e) {
            throw LdmException.badInput(where + ": --init-image: not a usable path '" + path + "'", e);
        }
    }

    private static String text(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw LdmException.badInput(file + ": is a folder, not a prompt file");
            }
            byte[] bytes;
            try (var in = Files.newInputStream(file)) { // bounded: a pipe or device reports size 0
                bytes = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw LdmException.badInput(file + ": prompt file larger than " + (MAX_BYTES >> 20) + " MB");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw LdmException.badInput(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw LdmException.badInput(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw LdmException.badInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, String> jsonFields() {
        return JsonOptions.keys(RequestField.values());
    }
}
