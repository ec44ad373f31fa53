package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void tensorRoundTripIsExactAtTheModelSize() {
        BufferedImage img = TestImages.noise(32, 32, 7);
        Tensor t = Images.toTensor(img, 32);
        assertArrayEquals(new long[] {3, 32, 32}, t.shape());
        for (float v : t.data()) {
            assertTrue(v >= -1f && v <= 1f);
        }
        assertArrayEquals(ImagePixels.argb(img), ImagePixels.argb(Images.toImage(t)));
    }

    @Test
    void toImageClampsAndRounds() {
        Tensor t = new Tensor(new long[] {3, 1, 2}, new float[] {-5f, 5f, 0f, 0.0039f, Float.NaN, 1f});
        BufferedImage img = Images.toImage(t);
        assertEquals(BufferedImage.TYPE_INT_RGB, img.getType());
        assertEquals(new Color(0, 128, 0).getRGB(), img.getRGB(0, 0)); // 0 -> 127.5 rounds to 128
        assertEquals(new Color(255, 128, 255).getRGB(), img.getRGB(1, 0));
    }

    @Test
    void alphaIsCompositedOntoWhite() {
        BufferedImage clear = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        clear.setRGB(0, 0, 0x00000000); // fully transparent black
        assertArrayEquals(new float[] {1f, 1f, 1f}, Images.toTensor(clear, 1).data(), 1e-6f);
        BufferedImage red = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        red.setRGB(0, 0, 0x80ff0000); // half-transparent red
        float a = 128 / 255f;
        float gb = ((1 - a) * 255f) / 127.5f - 1f;
        assertArrayEquals(new float[] {1f, gb, gb}, Images.toTensor(red, 1).data(), 1e-5f);
    }

    @Test
    void downsamplingAveragesAreas() {
        BufferedImage stripes = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                stripes.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0x000000);
            }
        }
        for (int size : new int[] {32, 16, 7}) {
            for (float v : Images.toTensor(stripes, size).data()) {
                assertEquals(0f, v, 0.02f, "a fine checkerboard averages to mid-grey at size " + size);
            }
        }
    }

    @Test
    void resizesTheShorterSideAndCropsTheCentre() {
        BufferedImage img = new BufferedImage(128, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 64);
        g.setColor(Color.GREEN);
        g.fillRect(32, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillRect(96, 0, 32, 64);
        g.dispose();
        Tensor t = Images.toTensor(img, 16);
        float[] green = {-1f, 1f, -1f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 256; i++) {
                assertEquals(green[c], t.data()[c * 256 + i], 1e-5f);
            }
        }
        Tensor up = Images.toTensor(img, 200); // upsampling a flat region stays flat
        assertEquals(1f, up.data()[200 * 200 + 100 * 200 + 100], 1e-5f);
    }

    @Test
    void grayscaleSixteenBitPaletteAndGrayAlphaPngsKeepTheirValues() throws Exception {
        BufferedImage gray = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 128);
        assertEquals(0xff808080, readBack(gray, "gray.png").getRGB(0, 0));

        BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(0, 0, 0, 200 * 257);
        assertEquals(0xffc8c8c8, readBack(gray16, "gray16.png").getRGB(0, 0));

        java.awt.image.ComponentColorModel cm16 = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_USHORT);
        BufferedImage rgb16 = new BufferedImage(cm16, cm16.createCompatibleWritableRaster(1, 1), false, null);
        rgb16.getRaster().setPixel(0, 0, new int[] {255 * 257, 10 * 257, 0, 65535});
        assertEquals(0xffff0a00, readBack(rgb16, "rgb16.png").getRGB(0, 0));

        java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(8, 2,
                new byte[] {(byte) 255, 0}, new byte[] {0, 0}, new byte[] {0, (byte) 255}, new byte[] {(byte) 255, 0});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(1, 0, 0, 1);
        BufferedImage back = readBack(indexed, "palette.png");
        assertEquals(0xffff0000, back.getRGB(0, 0));
        assertEquals(0, back.getRGB(1, 0) >>> 24, "palette transparency (tRNS) is kept");

        java.awt.image.ComponentColorModel grayAlpha = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        BufferedImage ga = new BufferedImage(grayAlpha, grayAlpha.createCompatibleWritableRaster(1, 1), false, null);
        ga.getRaster().setPixel(0, 0, new int[] {100, 50});
        assertEquals(50 << 24 | 0x646464, readBack(ga, "grayalpha.png").getRGB(0, 0));
    }

    @Test
    void readsJpegBmpGifAndWebp() throws Exception {
        BufferedImage flat = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, 16, 8);
        g.dispose();
        for (String format : List.of("jpg", "bmp", "gif")) {
            Path f = dir.resolve("flat." + format);
            assertTrue(ImageIO.write(flat, format, f.toFile()), format);
            Color c = new Color(Images.read(f).getRGB(8, 4));
            assertEquals(40, c.getRed(), 4, format);
            assertEquals(120, c.getGreen(), 4, format);
            assertEquals(200, c.getBlue(), 4, format);
        }
        Path webp = dir.resolve("solid.webp");
        Files.write(webp, TestImages.solidWebp(3, 2, 128, 200, 100, 50));
        BufferedImage w = Images.read(webp);
        assertEquals(3, w.getWidth());
        assertEquals(2, w.getHeight());
        assertEquals(128 << 24 | 200 << 16 | 100 << 8 | 50, w.getRGB(2, 1));
    }

    @Test
    void refusesImagesBeyondThePixelLimitFromTheHeader() throws Exception {
        Path huge = dir.resolve("huge.png");
        Files.write(huge, TestImages.pngHeaderOnly(100_000, 100_000));
        LdmException e = assertThrows(LdmException.class, () -> Images.read(huge));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith(huge.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    @Test
    void refusesBrokenFilesAsBadInput() throws Exception {
        byte[] png = PngWriter.encode(TestImages.noise(64, 64, 3), java.util.Map.of());
        Path truncated = dir.resolve("truncated.png");
        Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 2));
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image\n");
        Path corrupt = dir.resolve("corrupt.png");
        byte[] bad = png.clone();
        for (int i = 60; i < bad.length - 20; i++) {
            bad[i] = (byte) (bad[i] ^ 0x5a);
        }
        Files.write(corrupt, bad);
        for (Path p : List.of(truncated, empty, text, corrupt, dir.resolve("missing.png"), dir)) {
            LdmException e = assertThrows(LdmException.class, () -> Images.read(p), p.toString());
            assertEquals(2, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        }
    }

    @Test
    void gridTilesOnWhite() {
        BufferedImage a = TestImages.noise(4, 4, 1);
        BufferedImage b = TestImages.noise(4, 4, 2);
        BufferedImage c = TestImages.noise(4, 4, 3);
        BufferedImage grid = Images.grid(List.of(a, b, c), 2);
        assertEquals(8, grid.getWidth());
        assertEquals(8, grid.getHeight());
        assertEquals(b.getRGB(1, 2), grid.getRGB(5, 2));
        assertEquals(c.getRGB(3, 3), grid.getRGB(3, 7));
        assertEquals(0xffffffff, grid.getRGB(6, 6));
    }

    private BufferedImage readBack(BufferedImage img, String name) throws Exception {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()), name);
        return Images.read(f);
    }
}
