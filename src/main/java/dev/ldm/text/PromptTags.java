package dev.ldm.text;

/**
 * A caption's tags are its comma-separated parts ({@code fox, noto style}). Training on the first tag alone
 * (tag dropout) and guiding toward it at sampling time (tag guidance) both split a text here, so the tag a
 * model is guided toward is the tag it was trained on.
 */
public final class PromptTags {
    private PromptTags() {}

    /** The text before a caption's first comma, trimmed ({@code fox} for {@code fox, noto style}); else the caption. */
    public static String firstTag(String caption) {
        int comma = caption.indexOf(',');
        String tag = comma < 0 ? caption : caption.substring(0, comma).trim();
        return tag.isEmpty() ? caption : tag;
    }
}
