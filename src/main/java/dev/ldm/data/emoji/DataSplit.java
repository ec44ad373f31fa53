package dev.ldm.data.emoji;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The fixed train / held-out split of the emoji set, decided per concept (an emoji without its skin
 * tone, {@link EmojiKey#concept()}) by hashing its normalised key, never by a random generator: a
 * concept's fate depends on its own key alone, so it stays put when package versions add or remove
 * other emoji, and every machine builds the same split.
 *
 * <ul>
 *   <li>Held-out concepts: a concept whose hash {@code u = H("concept/" + key)} is below
 *       {@link #CONCEPT_RATE} is held out in every style: no image of it is ever trained on, so its
 *       prompts test generalisation to unseen captions.</li>
 *   <li>Held-out per style: otherwise, a concept whose hash {@code H(style + "/" + key)} is below
 *       {@link #STYLE_RATE} is held out in that style only; training sees it in the other styles, so
 *       these images measure style transfer for a known concept. The hashes of the styles are
 *       independent, so different concepts are held out in each style.</li>
 * </ul>
 * The showcase concepts ({@link #SHOWCASE}: fox, pizza, red heart, rocket, the example
 * prompts for the README grid in every style) are always trained; without this rule the fox would be
 * held out in Twemoji. H is the first 64 bits of SHA-256 of {@link #VERSION} + "/" + the text above, as a fraction of 2^64.
 * The style rate is 7% (not 5%) so that the measured fraction stays at least 5% in every style
 * despite sampling noise (about ±0.6% for 1,850 concepts; with 6% one style measured 5.07%).
 */
public final class DataSplit {
    /** Salt of every hash; change it only to deliberately re-draw the split. */
    public static final String VERSION = "ldm-emoji-split-v1";
    public static final double CONCEPT_RATE = 0.03;
    public static final double STYLE_RATE = 0.07;
    /** Concepts never held out: fox, pizza, red heart, rocket (the README's showcase prompts). */
    public static final java.util.Set<EmojiKey> SHOWCASE = java.util.Set.of(new EmojiKey("1F98A"),
            new EmojiKey("1F355"), new EmojiKey("2764"), new EmojiKey("1F680"));

    /** Where an image goes. */
    public enum Part {
        TRAIN("train"),
        /** Held out in this style only. */
        HELDOUT_STYLE("heldout/style"),
        /** Held out in every style. */
        HELDOUT_CONCEPT("heldout/concept");

        private final String folder;

        Part(String folder) {
            this.folder = folder;
        }

        /** The folder below the data set root, {@code /}-separated. */
        public String folder() {
            return folder;
        }
    }

    private DataSplit() {}

    /** The split's rule in one line, recorded with a built data set so a rule change is noticed. */
    public static String describe() {
        return VERSION + ": concept < " + CONCEPT_RATE + ", style < " + STYLE_RATE + ", always train "
                + SHOWCASE.stream().map(EmojiKey::value).sorted().toList();
    }

    /** The part of an image of {@code key} (any skin tone) drawn in {@code style}. */
    public static Part of(EmojiStyle style, EmojiKey key) {
        EmojiKey concept = key.concept();
        if (SHOWCASE.contains(concept)) {
            return Part.TRAIN;
        }
        if (heldOutConcept(concept)) {
            return Part.HELDOUT_CONCEPT;
        }
        return fraction(style.word() + "/" + concept.value()) < STYLE_RATE ? Part.HELDOUT_STYLE : Part.TRAIN;
    }

    /** True when the concept is held out in every style. */
    public static boolean heldOutConcept(EmojiKey key) {
        return !SHOWCASE.contains(key.concept()) && fraction("concept/" + key.concept().value()) < CONCEPT_RATE;
    }

    /** The hash H of a text, uniform in [0, 1). */
    static double fraction(String text) {
        byte[] h = sha256((VERSION + "/" + text).getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (h[i] & 0xff);
        }
        return (bits >>> 11) * 0x1.0p-53; // top 53 bits: exactly representable in a double
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
