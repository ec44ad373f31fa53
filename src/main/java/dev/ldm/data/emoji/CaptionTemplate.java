package dev.ldm.data.emoji;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Sentence templates for a last caption line ({@code a picture of a fox, noto style}), so that a
 * prompt phrased as a sentence around the concept finds it. Each image gets one template of its
 * {@link TemplateSet}, chosen by the CRC-32 of {@code style/key} (the same image always gets the same
 * line, on every machine).
 *
 * <p>No template says "drawing", "sketch", "illustration", "art", "paint" or "cartoon": the
 * free-phrasing evaluation asks for "a drawing of X", so it measures whether the model carries the
 * concept through a wording it never saw.
 *
 * <p>With more than one template line per image ({@code --template-lines N}), line k uses the template
 * k·⌊count/N⌋ places after the first (modulo the count): the N templates of an image are distinct, the
 * first is the one-line set's, and every template is used as often as before.
 */
public final class CaptionTemplate {
    /**
     * The templates, in the order the hash indexes them; {@code %s} is the concept with its article.
     * The first eight are {@link TemplateSet#EIGHT}; new ones go at the end, so a set's lines never change.
     */
    public static final List<String> TEMPLATES = List.of("a picture of %s", "an image of %s", "an icon of %s",
            "an emoji of %s", "a photo of %s", "a close-up of %s", "%s emoji", "%s on a white background",
            "a small image of %s", "a large icon of %s", "a single image of %s", "a symbol of %s",
            "a sticker of %s", "a render of %s", "a rendering of %s", "a logo of %s", "a graphic of %s",
            "a view of %s", "a portrait of %s", "a design of %s", "an example of %s", "a depiction of %s",
            "%s, centred", "%s in the middle", "there is %s", "this is %s", "here is %s", "look at %s",
            "a nice picture of %s", "a clean image of %s", "a tiny icon of %s", "a colourful image of %s",
            "a digital image of %s", "a vector image of %s", "a bright image of %s", "a zoomed-in photo of %s",
            "a cropped photo of %s", "a good photo of %s", "a thumbnail of %s", "%s, front view", "%s alone",
            "only %s", "a snapshot of %s", "a scan of %s", "a print of %s");

    private CaptionTemplate() {}

    /**
     * The {@code lines} template lines of one image ({@code a picture of a fox}, {@code a sticker of a
     * fox}, ...), before the style is appended; distinct templates, the first the image's one-line line.
     */
    public static List<String> phrases(TemplateSet set, int lines, EmojiStyle style, EmojiKey key, String label) {
        List<String> templates = set.templates();
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("the template set " + set.word() + " holds no template");
        }
        if (lines < 1 || lines > templates.size()) {
            throw new IllegalArgumentException(lines + " template lines from " + templates.size() + " templates");
        }
        int first = index(style.word() + "/" + key.value(), templates.size());
        int spacing = templates.size() / lines;
        String concept = EmojiImage.withArticle(label);
        List<String> out = new java.util.ArrayList<>(lines);
        for (int k = 0; k < lines; k++) {
            out.add(String.format(templates.get((first + k * spacing) % templates.size()), concept));
        }
        return List.copyOf(out);
    }

    /** Which of the first {@code count} templates the image gets: CRC-32 of the UTF-8 text, modulo count. */
    static int index(String styleAndKey, int count) {
        CRC32 crc = new CRC32();
        crc.update(styleAndKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }
}
