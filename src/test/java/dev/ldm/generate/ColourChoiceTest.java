package dev.ldm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.io.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ColourChoiceTest {
    private static List<Optional<String>> colours(String... c) {
        List<Optional<String>> out = new ArrayList<>();
        for (String s : c) {
            out.add(Optional.ofNullable(s));
        }
        return out;
    }

    @Test
    void onlyImagesWhoseDraftMissesANamedHueAreFreed() {
        List<Optional<String>> drafts = colours("orange", "blue", null, "grey");
        assertArrayEquals(new boolean[] {true, false, true, true}, ColourChoice.freed("a blue fox", drafts));
        assertArrayEquals(new boolean[] {false, false, false, false}, ColourChoice.freed("a fox", drafts),
                "no hue word: every image kept");
        assertArrayEquals(new boolean[] {false, false, true, true}, ColourChoice.freed("A Blue and ORANGE fox", drafts),
                "any named hue the draft shows keeps it; case does not matter");
        assertArrayEquals(new boolean[] {false, false, false, false}, ColourChoice.freed("a bluebird, grey and white",
                drafts), "grey and white are no hues, and a word that holds one is not it");
        assertArrayEquals(new boolean[0], ColourChoice.freed("a red fox", List.of()));
        assertArrayEquals(new boolean[] {false, false, true, true, true},
                ColourChoice.freed("a red fox", colours("orange", "pink", "yellow", "brown", null)),
                "a neighbour on the colour wheel (pink wraps round to red) counts as shown");
    }

    @Test
    void aHueIsShownByItselfAndItsTwoNeighboursOnTheWheelAndByNothingElse() {
        List<String> hues = dev.ldm.image.DominantColour.HUES;
        for (String drawn : dev.ldm.image.DominantColour.WORDS) {
            for (int a = 0; a < hues.size(); a++) {
                int d = hues.indexOf(drawn);
                int apart = d < 0 ? 99 : Math.min(Math.abs(d - a), hues.size() - Math.abs(d - a));
                assertEquals(apart <= 1, ColourChoice.shows(drawn, java.util.Set.of(hues.get(a))),
                        drawn + " for " + hues.get(a));
            }
        }
    }

    @Test
    void aFreedImageIsRedrawnFromAtLeastTheFreedStrength() {
        assertEquals((float) ColourChoice.FREED_STRENGTH, ColourChoice.freedStrength(0.65f));
        assertEquals(0.995f, ColourChoice.freedStrength(0.995f));
    }

    /** Rows of [n, 2] holding (i, 10 i). */
    private static Tensor rows(int n) {
        float[] d = new float[2 * n];
        for (int i = 0; i < n; i++) {
            d[2 * i] = i;
            d[2 * i + 1] = 10 * i;
        }
        return new Tensor(new long[] {n, 2}, d);
    }

    @Test
    void eachGroupIsRedrawnAsOneBatchAndItsRowsReturnToTheirPlaces() {
        Tensor z = rows(5);
        boolean[] freed = {true, false, false, true, false};
        List<String> calls = new ArrayList<>();
        // a redraw that marks its rows: +100 for freed ones, +1000 for kept ones
        Tensor out = ColourChoice.byGroup(freed, z, (r, free) -> {
            calls.add((free ? "free" : "kept") + java.util.Arrays.toString(r));
            return z.rows(r).add(new Tensor(new long[] {r.length, 2}, filled(2 * r.length, free ? 100 : 1000)));
        });
        assertEquals(List.of("kept[1, 2, 4]", "free[0, 3]"), calls);
        for (int i = 0; i < 5; i++) {
            float add = freed[i] ? 100 : 1000;
            assertEquals(i + add, out.data()[2 * i]);
            assertEquals(10 * i + add, out.data()[2 * i + 1]);
        }
        assertArrayEquals(z.shape(), out.shape());

        calls.clear();
        Tensor none = ColourChoice.byGroup(new boolean[5], z, (r, free) -> {
            calls.add((free ? "free" : "kept") + java.util.Arrays.toString(r));
            return z.rows(r);
        });
        assertEquals(List.of("kept[0, 1, 2, 3, 4]"), calls, "none freed: one batch of every row, as kept draws it");
        assertEquals(z, none);
    }

    private static float[] filled(int n, float v) {
        float[] d = new float[n];
        java.util.Arrays.fill(d, v);
        return d;
    }
}
