package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HueRotationTest {
    private static BufferedImage pixels(int... rgb) {
        BufferedImage img = new BufferedImage(rgb.length, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, rgb.length, 1, rgb, 0, rgb.length);
        return img;
    }

    /** An independent reference: the textbook HSV rotation in double precision, rounded to 8 bits. */
    private static int reference(int rgb, double degrees) {
        double r = (rgb >> 16 & 255) / 255.0;
        double g = (rgb >> 8 & 255) / 255.0;
        double b = (rgb & 255) / 255.0;
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double c = max - min;
        if (c == 0) {
            return rgb;
        }
        double h = max == r ? ((g - b) / c % 6 + 6) % 6 : max == g ? (b - r) / c + 2 : (r - g) / c + 4;
        h = ((h * 60 + degrees) % 360 + 360) % 360 / 60;
        double x = c * (1 - Math.abs(h % 2 - 1));
        double[] p = switch ((int) h) {
            case 0 -> new double[] {c, x, 0};
            case 1 -> new double[] {x, c, 0};
            case 2 -> new double[] {0, c, x};
            case 3 -> new double[] {0, x, c};
            case 4 -> new double[] {x, 0, c};
            default -> new double[] {c, 0, x};
        };
        double m = max - c;
        return (int) Math.round((p[0] + m) * 255) << 16 | (int) Math.round((p[1] + m) * 255) << 8
                | (int) Math.round((p[2] + m) * 255);
    }

    @Test
    void agreesWithTheTextbookRotationOnRandomColoursAndAngles() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] colours = new int[20_000];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = rnd.nextInt(1 << 24);
        }
        BufferedImage img = pixels(colours);
        for (double angle : new double[] {0, 45, 90, 120, 180, 240, 315, -60, 720}) {
            BufferedImage out = HueRotation.rotate(img, angle);
            for (int i = 0; i < colours.length; i++) {
                int got = out.getRGB(i, 0) & 0xFFFFFF;
                int want = reference(colours[i], angle);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs((got >> shift & 255) - (want >> shift & 255));
                    assertTrue(d <= 1, String.format("%06X by %s: %06X, reference %06X", colours[i], angle, got, want));
                }
            }
        }
    }

    @Test
    void primariesTurnIntoEachOtherAndGreysStayExactly() {
        BufferedImage img = pixels(0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x000000, 0x808080, 0x3A3A3A);
        BufferedImage out = HueRotation.rotate(img, 120);
        int[] want = {0x00FF00, 0x0000FF, 0xFF0000, 0xFFFFFF, 0x000000, 0x808080, 0x3A3A3A};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], out.getRGB(i, 0) & 0xFFFFFF, "pixel " + i);
        }
    }

    @Test
    void transparentPixelsAreCompositedOntoWhite() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00FF0000); // fully transparent red
        img.setRGB(1, 0, 0x80FF0000); // half red over white: pink
        BufferedImage out = HueRotation.rotate(img, 0);
        assertEquals(0xFFFFFF, out.getRGB(0, 0) & 0xFFFFFF);
        int p = out.getRGB(1, 0);
        assertEquals(255, p >> 16 & 255);
        assertTrue(Math.abs((p >> 8 & 255) - 127) <= 1 && Math.abs((p & 255) - 127) <= 1);
    }
}
