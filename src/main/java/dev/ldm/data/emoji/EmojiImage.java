package dev.ldm.data.emoji;

import dev.ldm.image.DominantColour;
import java.nio.file.Path;

/**
 * One drawing of one emoji in one style, joined to its label.
 *
 * @param style the artwork it comes from
 * @param key the normalised code-point sequence (its skin tone included)
 * @param source the package's image file (for a vector icon, the {@code icons.json} holding it)
 * @param label the emojibase entry: folded caption label, group and subgroup
 * @param icon the vector icon to render, or null for an image file
 */
public record EmojiImage(EmojiStyle style, EmojiKey key, Path source, EmojiLabels.Entry label, IconifyIcon icon) {
    /** An image file. */
    public EmojiImage(EmojiStyle style, EmojiKey key, Path source, EmojiLabels.Entry label) {
        this(style, key, source, label, null);
    }

    /** The training caption: {@code fox, twemoji style}. */
    public String caption() {
        return style.caption(label.label());
    }

    /**
     * The caption file's lines: the training caption, then the same with an article ({@code a fox,
     * twemoji style}) and, where the image has a dominant colour the label does not already name,
     * with that colour ({@code an orange fox, twemoji style}). Training draws one per step, so a
     * prompt phrased as a sentence ("a red fox") finds the concept instead of only its colour. With
     * templates, last lines put the concept in sentences ({@link CaptionTemplate}: {@code a picture
     * of a fox, twemoji style}).
     *
     * @param pixels the image as trained, [3, S, S] RGB in [-1, 1] on white
     * @param templates the set the template lines are drawn from ({@link TemplateSet#NONE}: no such line)
     * @param templateLines how many template lines, each from a different template (ignored without a set)
     */
    public java.util.List<String> captions(dev.ldm.io.Tensor pixels, TemplateSet templates, int templateLines) {
        String name = label.label();
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(caption(),
                style.caption(withArticle(name))));
        if (!DominantColour.named(name)) {
            DominantColour.of(pixels).ifPresent(c -> out.add(style.caption(withArticle(c + " " + name))));
        }
        if (templates != TemplateSet.NONE) {
            for (String phrase : CaptionTemplate.phrases(templates, templateLines, style, key, name)) {
                out.add(style.caption(phrase));
            }
        }
        return out;
    }

    /** {@code a fox}, {@code an orange fox}: "an" before a vowel letter. */
    static String withArticle(String phrase) {
        return ("aeiou".indexOf(Character.toLowerCase(phrase.charAt(0))) >= 0 ? "an " : "a ") + phrase;
    }

    /** The same image with another source file (the Fluent skin-tone repair swaps files). */
    public EmojiImage withSource(Path other) {
        return new EmojiImage(style, key, other, label, icon);
    }
}
