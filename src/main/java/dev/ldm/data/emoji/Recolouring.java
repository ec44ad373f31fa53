package dev.ldm.data.emoji;

import dev.ldm.image.DominantColour;
import dev.ldm.image.HueRotation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recoloured training copies: an image's hues turned by one of seven angles, captioned with the
 * colour measured on the result ({@code a blue fox, noto style}), so that colour words bind to any
 * concept and not only to the colours its artists chose (issue 14). Pairs of concept and colour are
 * held out by a hash, never drawn here, and become the prompts that measure whether a model
 * combines a colour and a concept it never saw together.
 *
 * <p>Rules: the colour of a copy is {@link DominantColour} of the rotated image, must be one of the
 * seven hue words ({@link #HUES}), must differ from the original's colour and from the other copies'
 * of the same image, and its pair must not be held out. Concepts whose label already names a colour
 * ("red heart", "black cat") get no copies: "a blue red heart" would be a lie. A copy's captions are
 * the colour phrasing with and without an article; the colourless phrasings stay with the original,
 * so a prompt without a colour word keeps asking for the artist's colours.
 */
public final class Recolouring {
    /** Colour words a copy can be captioned with: the hue words of {@link DominantColour}. */
    public static final List<String> HUES = DominantColour.HUES;
    /** Hue turns tried, in an order drawn per image. */
    static final int[] ANGLES = {45, 90, 135, 180, 225, 270, 315};
    /** Share of (concept, colour) pairs held out by default. */
    public static final double DEFAULT_HELD_OUT = 0.15;

    private Recolouring() {}

    /**
     * A caption split into the concept and the rest: {@code fox, noto style} into {@code fox} and
     * {@code , noto style}. Captions that do not end in "style" after a comma are all label.
     */
    public record Caption(String label, String suffix) {
        public static Caption parse(String caption) {
            String c = caption.strip();
            int comma = c.lastIndexOf(", ");
            if (comma > 0 && c.endsWith(" style")) {
                return new Caption(c.substring(0, comma), c.substring(comma));
            }
            return new Caption(c, "");
        }

        /** {@code a blue fox, noto style} and {@code blue fox, noto style}. */
        public List<String> coloured(String colour) {
            String phrase = colour + " " + label;
            return List.of(EmojiImage.withArticle(phrase) + suffix, phrase + suffix);
        }
    }

    /**
     * One recoloured copy.
     *
     * @param angle the hue turn in degrees
     * @param colour the colour word measured on {@code image}
     * @param image the rotated image, 8-bit RGB
     * @param captions its caption lines
     */
    public record Copy(int angle, String colour, BufferedImage image, List<String> captions) {}

    /** Whether the pair (concept, colour) is held out: a hash of both below {@code share}. */
    public static boolean heldOut(String label, String colour, double share) {
        return DataSplit.fraction("recolour/" + label + "/" + colour) < share;
    }

    /**
     * Up to {@code copies} recoloured copies of one image.
     *
     * @param img the image (any size; measured as drawn, on white)
     * @param mainCaption its first caption line
     * @param key a stable name of the image (its relative path) that orders the angles tried
     * @param heldOutShare share of pairs held out
     */
    public static List<Copy> copies(BufferedImage img, String mainCaption, String key, int copies,
            double heldOutShare) {
        return copies(img, DominantColour.of(img), mainCaption, key, copies, heldOutShare);
    }

    /**
     * {@link #copies(BufferedImage, String, String, int, double)} for an image whose colour word
     * ({@link DominantColour#of(BufferedImage)}) the caller has measured already.
     */
    public static List<Copy> copies(BufferedImage img, Optional<String> original, String mainCaption, String key,
            int copies, double heldOutShare) {
        Caption caption = Caption.parse(mainCaption);
        if (copies < 1 || DominantColour.named(caption.label())) {
            return List.of();
        }
        Set<String> taken = new java.util.HashSet<>();
        original.ifPresent(taken::add);
        List<Copy> out = new ArrayList<>();
        for (int angle : angleOrder(key)) {
            if (out.size() == copies) {
                break;
            }
            BufferedImage turned = HueRotation.rotate(img, angle);
            Optional<String> colour = DominantColour.of(turned);
            if (colour.isEmpty() || !HUES.contains(colour.get()) || taken.contains(colour.get())
                    || heldOut(caption.label(), colour.get(), heldOutShare)) {
                continue;
            }
            taken.add(colour.get());
            out.add(new Copy(angle, colour.get(), turned, caption.coloured(colour.get())));
        }
        return out;
    }

    /** The seven angles in an order fixed by the image's key (a hash, so the same on every machine). */
    static int[] angleOrder(String key) {
        Integer[] order = new Integer[ANGLES.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = ANGLES[i];
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(
                a -> DataSplit.fraction("recolour-angle/" + key + "/" + a)));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
