package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Tensor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DominantColourTest {
    /** A 10×10 white image with {@code n} pixels of (r, g, b) in [0, 255] and {@code m} of (r2, g2, b2). */
    static Tensor image(int n, int[] rgb, int m, int[] rgb2) {
        float[] d = new float[300];
        java.util.Arrays.fill(d, 1f);
        for (int i = 0; i < n + m; i++) {
            int[] c = i < n ? rgb : rgb2;
            for (int ch = 0; ch < 3; ch++) {
                d[ch * 100 + i] = c[ch] / 127.5f - 1;
            }
        }
        return new Tensor(new long[] {3, 10, 10}, d);
    }

    @Test
    void pixelsAreNamedByHueValueAndSaturation() {
        assertEquals("red", DominantColour.name(0.9, 0.1, 0.1));
        assertEquals("orange", DominantColour.name(0.96, 0.56, 0.05));   // Twemoji's fox, #F4900C
        assertEquals("yellow", DominantColour.name(1.0, 0.8, 0.2));
        assertEquals("green", DominantColour.name(0.2, 0.7, 0.3));
        assertEquals("blue", DominantColour.name(0.2, 0.4, 0.9));
        assertEquals("purple", DominantColour.name(0.5, 0.2, 0.8));
        assertEquals("pink", DominantColour.name(0.95, 0.4, 0.7));
        assertEquals("brown", DominantColour.name(0.45, 0.25, 0.1));
        assertEquals("black", DominantColour.name(0.1, 0.1, 0.12));
        assertEquals("grey", DominantColour.name(0.6, 0.6, 0.62));
    }

    @Test
    void theDominantForegroundColourNeedsAShareOfTheForeground() {
        int[] orange = {244, 144, 12};
        int[] blue = {40, 90, 220};
        assertEquals(Optional.of("orange"), DominantColour.of(image(40, orange, 20, blue)), "background ignored");
        assertEquals(Optional.empty(), DominantColour.of(image(2, orange, 0, blue)), "too little foreground");
        int[] green = {40, 200, 60};
        int[] purple = {128, 51, 204};
        assertEquals(Optional.of("blue"), DominantColour.of(image(10, orange, 15, blue)));
        // three colours of 30%, 30%, 40%: 40% is enough; 35/35/30 names none
        assertEquals(Optional.of("green"), DominantColour.of(threeColours(30, orange, 30, blue, 40, green)));
        assertEquals(Optional.empty(), DominantColour.of(threeColours(35, orange, 35, purple, 30, green)));
    }

    static Tensor threeColours(int a, int[] ca, int b, int[] cb, int c, int[] cc) {
        Tensor t = image(a, ca, b, cb);
        for (int i = a + b; i < a + b + c; i++) {
            for (int ch = 0; ch < 3; ch++) {
                t.data()[ch * 100 + i] = cc[ch] / 127.5f - 1;
            }
        }
        return t;
    }

    @Test
    void labelsThatNameAColourAreRecognised() {
        assertTrue(DominantColour.named("red heart"));
        assertTrue(DominantColour.named("black cat"));
        assertTrue(DominantColour.named("white-haired"));
        assertFalse(DominantColour.named("fox"));
        assertFalse(DominantColour.named("credit card"), "whole words only");
    }

    @Test
    void aTextsHueWordsAreFoundAsWholeWordsInAnyCase() {
        assertEquals(java.util.List.of("blue", "red"),
                java.util.List.copyOf(DominantColour.hues("A BLUE fox, red-eyed; a bluebird, grey and white")));
        assertTrue(DominantColour.hues("a white cat").isEmpty());
        assertEquals(DominantColour.HUES, java.util.List.copyOf(DominantColour.hues(String.join(" ",
                DominantColour.HUES))));
        for (String hue : DominantColour.HUES) {
            assertTrue(DominantColour.WORDS.contains(hue), hue);
        }
    }
}
