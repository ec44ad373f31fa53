package dev.ldm.data.emoji;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Sentence templates for a fourth caption line ({@code a picture of a fox, noto style}), so that a
 * prompt phrased as a sentence around the concept finds it. Each image gets one template, chosen by
 * the CRC-32 of {@code style/key} (the same image always gets the same line, on every machine).
 *
 * <p>No template says "drawing", "sketch", "illustration" or "art": the free-phrasing evaluation asks
 * for "a drawing of X", so it measures whether the model carries the concept through a wording it
 * never saw.
 */
public final class CaptionTemplate {
    /** The templates, in the order the hash indexes them; {@code %s} is the concept with its article. */
    public static final List<String> TEMPLATES = List.of("a picture of %s", "an image of %s", "an icon of %s",
            "an emoji of %s", "a photo of %s", "a close-up of %s", "%s emoji", "%s on a white background");

    private CaptionTemplate() {}

    /** The template line for one image: {@code a picture of a fox}, before the style is appended. */
    public static String phrase(EmojiStyle style, EmojiKey key, String label) {
        return String.format(TEMPLATES.get(index(style.word() + "/" + key.value())), EmojiImage.withArticle(label));
    }

    /** Which template the image gets: CRC-32 of the UTF-8 text, modulo the number of templates. */
    static int index(String styleAndKey) {
        CRC32 crc = new CRC32();
        crc.update(styleAndKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % TEMPLATES.size());
    }
}
