package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class RestyleTest {
    /** A white image with a filled coloured square from (x0, y0) of side n. */
    private static BufferedImage square(int size, int x0, int y0, int n, int colour) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean in = x >= x0 && x < x0 + n && y >= y0 && y < y0 + n;
                img.setRGB(x, y, in ? colour : 0xFFFFFF);
            }
        }
        return img;
    }

    @Test
    void outlineBlackensExactlyTheBackgroundWithinTheStrokeOfTheDrawing() {
        for (int size : new int[] {16, 32, 64}) {
            BufferedImage img = square(size, size / 4, size / 3, size / 3, 0x3366CC);
            BufferedImage out = Restyle.OUTLINE.apply(img);
            int r = Restyle.stroke(size, size);
            int x0 = size / 4;
            int y0 = size / 3;
            int n = size / 3;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean in = x >= x0 && x < x0 + n && y >= y0 && y < y0 + n;
                    // the distance to the nearest square pixel, computed directly
                    int dx = Math.max(0, Math.max(x0 - x, x - (x0 + n - 1)));
                    int dy = Math.max(0, Math.max(y0 - y, y - (y0 + n - 1)));
                    int expected = in ? 0x3366CC : dx * dx + dy * dy <= r * r ? 0x000000 : 0xFFFFFF;
                    assertEquals(expected, out.getRGB(x, y) & 0xFFFFFF, "at " + x + "," + y + " size " + size);
                }
            }
            assertTrue(Restyle.OUTLINE.trait(out) > Restyle.OUTLINE.trait(img));
        }
    }

    @Test
    void aBlankImageHasNoTraitAndStaysBlank() {
        BufferedImage white = square(32, 0, 0, 0, 0);
        for (Restyle s : Restyle.values()) {
            BufferedImage out = s.apply(white);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(0xFFFFFF, out.getRGB(x, y) & 0xFFFFFF, s.word());
                }
            }
        }
        assertEquals(0, Restyle.OUTLINE.trait(white));
        assertEquals(0, Restyle.PIXEL.trait(white));
    }

    @Test
    void posteriseAndPixelAreIdempotentAndFullyShowTheirTrait() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | (x + y) * 4); // a smooth gradient
            }
        }
        for (Restyle s : new Restyle[] {Restyle.POSTERISE, Restyle.PIXEL}) {
            BufferedImage once = s.apply(img);
            BufferedImage twice = s.apply(once);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(once.getRGB(x, y), twice.getRGB(x, y), s.word() + " at " + x + "," + y);
                }
            }
            assertEquals(1.0, s.trait(once), 1e-12, s.word());
            assertTrue(s.trait(img) < 0.5, s.word() + " trait of the original " + s.trait(img));
        }
    }

    @Test
    void transparencyIsCompositedOnWhite() {
        BufferedImage clear = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB); // all transparent black
        assertEquals(0, Restyle.OUTLINE.trait(clear), "transparent black is white, not dark");
        assertEquals(0xFFFFFF, Restyle.OUTLINE.apply(clear).getRGB(3, 3) & 0xFFFFFF);
    }

    @Test
    void unknownStyleIsRefusedWithTheChoices() {
        LdmException e = assertThrows(LdmException.class, () -> Restyle.parse("cubist"));
        assertTrue(e.getMessage().contains("outline, posterise, pixel"), e.getMessage());
        assertEquals(Restyle.PIXEL, Restyle.parse(" Pixel "));
    }
}
