package dev.ldm.data.emoji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecolouringTest {
    /** A white 32 px image with a filled disk of one colour. */
    static BufferedImage disk(int rgb) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean in = (x - 15.5) * (x - 15.5) + (y - 15.5) * (y - 15.5) < 11 * 11;
                img.setRGB(x, y, in ? rgb : 0xFFFFFF);
            }
        }
        return img;
    }

    @Test
    void captionsSplitIntoConceptAndStyle() {
        assertEquals(new Recolouring.Caption("fox", ", noto style"), Recolouring.Caption.parse("fox, noto style"));
        assertEquals(new Recolouring.Caption("family: man, woman, boy", ", twemoji style"),
                Recolouring.Caption.parse("family: man, woman, boy, twemoji style"));
        assertEquals(new Recolouring.Caption("apple", ""), Recolouring.Caption.parse(" apple "));
        assertEquals(List.of("an orange fox, noto style", "orange fox, noto style"),
                Recolouring.Caption.parse("fox, noto style").coloured("orange"));
    }

    @Test
    void everyCopyShowsTheColourItsCaptionNamesAndDiffersFromTheOriginal() {
        BufferedImage red = disk(0xE03020);
        assertEquals("red", dev.ldm.image.DominantColour.of(red).orElseThrow());
        List<Recolouring.Copy> copies = Recolouring.copies(red, "apple, test style", "test/apple.png", 7, 0.0);
        assertTrue(copies.size() >= 5, "most angles give a new hue word: " + copies.size());
        Set<String> colours = new HashSet<>();
        for (Recolouring.Copy c : copies) {
            assertEquals(c.colour(), dev.ldm.image.DominantColour.of(c.image()).orElseThrow());
            assertNotEquals("red", c.colour());
            assertTrue(colours.add(c.colour()), "each copy a different colour");
            assertTrue(Recolouring.HUES.contains(c.colour()));
            assertEquals(Recolouring.Caption.parse("apple, test style").coloured(c.colour()), c.captions());
        }
        assertEquals(1, Recolouring.copies(red, "apple, test style", "test/apple.png", 1, 0.0).size());
    }

    @Test
    void labelsNamingAColourGetNoCopiesAndHeldOutPairsAreNeverDrawn() {
        BufferedImage red = disk(0xE03020);
        assertEquals(List.of(), Recolouring.copies(red, "red heart, test style", "x", 3, 0.0));
        int heldOutSeen = 0;
        for (int i = 0; i < 200; i++) {
            String label = "thing " + i;
            for (Recolouring.Copy c : Recolouring.copies(red, label + ", test style", label, 7, 0.3)) {
                assertFalse(Recolouring.heldOut(label, c.colour(), 0.3), label + " / " + c.colour());
            }
            for (String h : Recolouring.HUES) {
                heldOutSeen += Recolouring.heldOut(label, h, 0.3) ? 1 : 0;
            }
        }
        double share = heldOutSeen / (200.0 * Recolouring.HUES.size());
        assertTrue(share > 0.25 && share < 0.35, "the hash holds out about the share asked for: " + share);
    }

    @Test
    void theOrderOfAnglesIsAPermutationFixedByTheKey() {
        int[] a = Recolouring.angleOrder("noto/1F98A.png");
        assertArrayEquals(a, Recolouring.angleOrder("noto/1F98A.png"));
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(Recolouring.ANGLES, sorted);
        boolean differs = false;
        for (int i = 0; i < 20 && !differs; i++) {
            differs = !java.util.Arrays.equals(a, Recolouring.angleOrder("other/" + i));
        }
        assertTrue(differs);
    }
}
