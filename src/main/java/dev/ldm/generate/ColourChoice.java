package dev.ldm.generate;

import dev.ldm.image.DominantColour;
import dev.ldm.io.Tensor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code --draft-colour auto}: which images of a cascade's batch are redrawn with their colour free.
 *
 * <p>The draft anchor keeps the draft's colours, and the draft never saw recoloured copies, so "a blue
 * fox" comes out orange. Freeing the colour plane lets the redrawing model, which learned colour words
 * from recoloured copies, follow the word, at some cost to the concept the draft drew. So only the images
 * that need it are freed: those whose prompt names one of the seven hue words ({@link DominantColour#HUES})
 * while the draft's image, as drawn, shows neither a named hue nor a neighbour of one on the colour wheel
 * as its dominant colour (the measure behind the training captions' colour words and {@code ldm eval}'s
 * colour check). A prompt without a hue word, or a draft that shows the hue or a neighbour, is redrawn
 * exactly as {@code kept} redraws it: "a red fox" keeps the draft's orange fox, as English calls the
 * animal red, while "a blue fox" is freed. Counting neighbours as shown cost 12 points of colour shown on
 * the unseen pairs (53.5% against 65.3%) and gave the concept 1.4 and the phrasings 0.8 points back; the
 * freed red foxes had lost their crisp eyes and muzzles.
 *
 * <p>A freed image is redrawn from max(S, {@value #FREED_STRENGTH}), almost pure noise, the anchor holding
 * the draft's layout outside the colour plane: freed images redrawn from 0.8, 0.9, 0.95, 0.99 and 1 showed
 * the asked colour in 32%, 56%, 63%, 65% and 66% of the unseen pairs' images, with the same concept
 * accuracy (README, "Colour words").
 */
final class ColourChoice {
    /** The least time a freed image is redrawn from. */
    static final double FREED_STRENGTH = 0.99;

    private ColourChoice() {}

    /**
     * @param prompt the request's prompt
     * @param draftColours the dominant colour of each draft image of the batch, in order
     * @return per image, whether its redraw frees the colour plane
     */
    static boolean[] freed(String prompt, List<Optional<String>> draftColours) {
        Set<String> asked = DominantColour.hues(prompt);
        boolean[] out = new boolean[draftColours.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = !asked.isEmpty() && draftColours.get(i).filter(c -> shows(c, asked)).isEmpty();
        }
        return out;
    }

    /** Whether a draft whose dominant colour is {@code colour} shows one of the {@code asked} hues or a neighbour. */
    static boolean shows(String colour, Set<String> asked) {
        int at = DominantColour.HUES.indexOf(colour);
        if (at < 0) {
            return false; // grey, black, brown: no hue
        }
        int n = DominantColour.HUES.size();
        for (int step = -1; step <= 1; step++) {
            if (asked.contains(DominantColour.HUES.get(Math.floorMod(at + step, n)))) {
                return true;
            }
        }
        return false;
    }

    /** The time a freed image is redrawn from, for the request's strength S. */
    static float freedStrength(float s) {
        return (float) Math.max(s, FREED_STRENGTH);
    }

    /** A redraw of some rows of the batch as one batch of their own. */
    @FunctionalInterface
    interface Redraw {
        /** rows: indices into the batch, in order; free: whether they are the freed ones → [rows, ...]. */
        Tensor apply(int[] rows, boolean free);
    }

    /**
     * The kept rows, then the freed rows, each redrawn as one batch, put back in their places: [n, ...] like
     * {@code batch}. With none freed, one call with every row in order.
     */
    static Tensor byGroup(boolean[] freed, Tensor batch, Redraw redraw) {
        float[] out = new float[batch.data().length];
        int per = freed.length == 0 ? 0 : out.length / freed.length;
        for (boolean free : new boolean[] {false, true}) {
            int[] rows = IntStream.range(0, freed.length).filter(i -> freed[i] == free).toArray();
            if (rows.length == 0) {
                continue;
            }
            Tensor y = redraw.apply(rows, free);
            for (int j = 0; j < rows.length; j++) {
                System.arraycopy(y.data(), j * per, out, rows[j] * per, per);
            }
        }
        return new Tensor(batch.shape().clone(), out);
    }
}
