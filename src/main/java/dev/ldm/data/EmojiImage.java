package dev.ldm.data;

import java.nio.file.Path;

/**
 * One drawing of one emoji in one style, joined to its label.
 *
 * @param style the artwork it comes from
 * @param key the normalised code-point sequence (its skin tone included)
 * @param source the package's image file
 * @param label the emojibase entry: folded caption label, group and subgroup
 */
public record EmojiImage(EmojiStyle style, EmojiKey key, Path source, EmojiLabels.Entry label) {
    /** The training caption: {@code fox, twemoji style}. */
    public String caption() {
        return style.caption(label.label());
    }

    /** The same image with another source file (the Fluent skin-tone repair swaps files). */
    public EmojiImage withSource(Path other) {
        return new EmojiImage(style, key, other, label);
    }
}
