package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.image.Images;
import dev.ldm.io.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accepted half of the image corpus: 16-bit, gray, gray+alpha, palette, transparent, CMYK and
 * interlaced images, and a PNG named .jpg, are read and converted to the sRGB pixels a viewer
 * shows (gray and CMYK without Java2D's linear-light brightening), with alpha composited onto
 * white in the VAE's input. {@link BadImagesTest} checks that a training folder accepts them.
 */
class OddImagesTest {
    @TempDir
    static Path tmp;

    /**
     * One accepted file: the pixel at (x, 0) must decode to {@code argb}, within {@code tolerance}
     * per channel (lossy JPEG only).
     */
    record Odd(String name, String file, Supplier<byte[]> bytes, int x, int argb, int tolerance) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Odd> corpus() {
        return Stream.of(
                new Odd("16-bit RGB PNG", "rgb16.png", () -> png(BadImages.rgb16(8, 8, 100, 150, 200)), 0,
                        0xff6496c8, 0),
                new Odd("8-bit gray PNG", "gray8.png", () -> png(BadImages.gray(8, 8, 8, 128, null)), 0, 0xff808080, 0),
                new Odd("16-bit gray PNG", "gray16.png", () -> png(BadImages.gray(8, 8, 16, 100, null)), 0,
                        0xff646464, 0),
                new Odd("gray+alpha PNG, transparent", "gray_alpha.png", () -> png(BadImages.gray(8, 8, 8, 0, 0)), 0,
                        0x00000000, 0),
                new Odd("palette PNG, opaque entry", "palette.png", () -> png(BadImages.palette(8, 8, 0x3366cc)), 0,
                        0xff3366cc, 0),
                new Odd("palette PNG, transparent entry", "palette_clear.png",
                        () -> png(BadImages.palette(8, 8, 0x3366cc)), 7, 0x00000000, 0),
                new Odd("RGBA PNG, half-transparent black", "half_black.png",
                        () -> png(BadImages.argb(8, 8, 0x80000000)), 0, 0x80000000, 0),
                new Odd("RGBA PNG, fully transparent red", "clear_red.png",
                        () -> png(BadImages.argb(8, 8, 0x00ff0000)), 0, 0x00ff0000, 0),
                new Odd("8-bit gray JPEG", "gray.jpg", () -> BadImages.encode(BadImages.gray(8, 8, 8, 128, null),
                        "jpeg"), 0, 0xff808080, 2),
                new Odd("CMYK JPEG, 50% cyan", "cyan.jpg", () -> BadImages.cmykJpeg(128, 0, 0, 0), 0, 0xff7fffff, 2),
                new Odd("CMYK JPEG, magenta, yellow and black", "cmyk.jpg",
                        () -> BadImages.cmykJpeg(0, 128, 55, 25), 0, 0xffe673b4, 2),
                new Odd("interlaced PNG", "adam7.png", OddImagesTest::interlaced, 3,
                        BadImages.noise(8, 8, 9).getRGB(3, 0), 0),
                new Odd("PNG named .jpg", "really_png.jpg", () -> png(BadImages.argb(8, 8, 0xff102030)), 0,
                        0xff102030, 0));
    }

    static byte[] png(BufferedImage img) {
        return BadImages.encode(img, "png");
    }

    static byte[] interlaced() {
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(BadImages.noise(8, 8, 9), null, null), p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void acceptedAndConverted(Odd odd) throws Exception {
        Path file = tmp.resolve(odd.file());
        Files.write(file, odd.bytes().get());
        BufferedImage img = Images.read(file);
        assertEquals(8, img.getWidth());
        int got = img.getColorModel().hasAlpha() ? img.getRGB(odd.x(), 0) : img.getRGB(odd.x(), 0) | 0xff000000;
        for (int shift = 0; shift < 32; shift += 8) {
            int want = odd.argb() >>> shift & 0xff;
            int have = got >>> shift & 0xff;
            assertTrue(Math.abs(want - have) <= odd.tolerance(), String.format("%s: pixel %08x, expected %08x",
                    odd.name(), got, odd.argb()));
        }
        Tensor t = Images.toTensor(img, 8);
        double alpha = (odd.argb() >>> 24) / 255.0;
        for (int c = 0; c < 3; c++) {
            double v = odd.argb() >> (16 - 8 * c) & 0xff;
            double expected = (alpha * v + (1 - alpha) * 255) / 127.5 - 1; // composited onto white
            assertEquals(expected, t.data()[c * 64 + odd.x()], (odd.tolerance() + 0.51) / 127.5, odd.name());
        }
    }

    @Test
    void interlacedPngHasTheSamePixelsAsTheOriginal() throws Exception {
        Path file = Files.write(tmp.resolve("interlaced.png"), interlaced());
        BufferedImage original = BadImages.noise(8, 8, 9);
        BufferedImage read = Images.read(file);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(original.getRGB(x, y), read.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }
}
