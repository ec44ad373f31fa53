package dev.ldm.pipeline;

/**
 * One prompt of a batch file.
 *
 * @param where {@code file:line} for messages and the manifest
 * @param ordinal position among the file's prompts (0-based; blank and comment lines do not count),
 *     from which a line without {@code --seed} derives its seed
 * @param options the prompt and the line's own overrides
 */
public record PromptLine(String where, int ordinal, RequestOptions options) {}
