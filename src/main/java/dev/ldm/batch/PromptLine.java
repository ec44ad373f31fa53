package dev.ldm.batch;

import dev.ldm.request.RequestOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One prompt of a batch file.
 *
 * @param file the batch file as named on the command line
 * @param line 1-based line number
 * @param ordinal position among the file's prompts (0-based; blank and comment lines do not count),
 *     from which a line without {@code --seed} derives its seed
 * @param options the prompt and the line's own overrides
 */
public record PromptLine(String file, int line, int ordinal, RequestOptions options) {
    /** {@code file:line} for messages. */
    public String where() {
        return file + ":" + line;
    }

    /** {@code name:line} without the folder, for the manifest (the same however the file was named). */
    public String source() {
        String name;
        try {
            Path p = Path.of(file).getFileName();
            name = p == null ? file : p.toString();
        } catch (InvalidPathException e) {
            name = file;
        }
        return name + ":" + line;
    }
}
