package dev.ldm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.image.ImagePixels;
import dev.ldm.image.Images;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesDatasetTest {
    @TempDir
    Path dir;

    @Test
    void sameSeedSameBytesOtherSeedOtherImages() throws Exception {
        List<Sample> a = ShapesDataset.generate(dir.resolve("a"), 1, 24, 7);
        List<Sample> b = ShapesDataset.generate(dir.resolve("b"), 1, 24, 7);
        List<Sample> c = ShapesDataset.generate(dir.resolve("c"), 1, 24, 8);
        assertEquals(ShapesDataset.COLOURS.size() * ShapesDataset.SHAPES.size(), a.size());
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i).image()), Files.readAllBytes(b.get(i).image()));
            differ += Arrays.equals(Files.readAllBytes(a.get(i).image()), Files.readAllBytes(c.get(i).image())) ? 0 : 1;
        }
        assertTrue(differ > a.size() * 9 / 10, "another seed moves almost every shape: " + differ);
    }

    @Test
    void captionsAreThePromptsAndScanReadsThemBack() {
        List<Sample> written = ShapesDataset.generate(dir, 2, 16, 1);
        assertEquals(written, ImageFolder.scan(dir));
        assertEquals(new HashSet<>(ShapesDataset.prompts()),
                new HashSet<>(written.stream().map(Sample::caption).toList()));
        assertEquals(49, ShapesDataset.prompts().size());
        assertTrue(ShapesDataset.prompts().contains("a red circle"));
    }

    @Test
    void theShapeHasTheNamedColourOnWhite() {
        List<Sample> samples = ShapesDataset.generate(dir, 1, 32, 3);
        for (Sample s : samples) {
            int[] px = ImagePixels.argb(Images.read(s.image()));
            String colour = s.caption().split(" ")[1];
            Color want = ShapesDataset.COLOURS.get(colour);
            long ink = Arrays.stream(px).filter(p -> distance(p, want) < 40).count();
            long white = Arrays.stream(px).filter(p -> (p & 0xffffff) == 0xffffff).count();
            assertTrue(ink > px.length / 20, s + ": " + ink + " pixels of " + colour);
            assertTrue(white > px.length / 4, s + ": white background");
            assertEquals(0xffffffff, px[0], s + ": corner is background");
        }
    }

    @Test
    void ringsHaveAHoleAndCirclesDoNot() {
        List<Sample> samples = ShapesDataset.generate(dir, 3, 48, 11);
        for (Sample s : samples) {
            boolean ring = s.caption().endsWith("ring");
            boolean circle = s.caption().endsWith("circle");
            if (ring || circle) {
                int[] px = ImagePixels.argb(Images.read(s.image()));
                // centre of mass of the ink, then whether that spot is inked
                double sx = 0;
                double sy = 0;
                int n = 0;
                for (int i = 0; i < px.length; i++) {
                    if ((px[i] & 0xffffff) != 0xffffff) {
                        sx += i % 48;
                        sy += i / 48;
                        n++;
                    }
                }
                int centre = px[(int) Math.round(sy / n) * 48 + (int) Math.round(sx / n)];
                assertEquals(ring, (centre & 0xffffff) == 0xffffff, s.toString());
            }
        }
    }

    @Test
    void refusesSillyArguments() {
        assertThrows(LdmException.class, () -> ShapesDataset.generate(dir, 0, 32, 1));
        assertThrows(LdmException.class, () -> ShapesDataset.generate(dir, 1, 4, 1));
        assertFalse(Files.exists(dir.resolve("red_circle_0000.png")));
    }

    private static int distance(int argb, Color c) {
        Color p = new Color(argb);
        return Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                + Math.abs(p.getBlue() - c.getBlue());
    }
}
