package dev.ldm.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image half of the bad-input corpus: every broken, truncated, hostile or unsupported image
 * file, given to {@code ldm generate --init-image}, is refused with exit 2 and one line naming the
 * file and the problem, before any pixel memory is allocated for a decompression bomb; the same
 * files in a training folder are skipped with one warning each and a count.
 */
class BadImagesTest {
    @TempDir
    static Path tmp;
    static Path model;

    /** One corpus entry: a file name, its bytes, and what the error must say besides the name. */
    record Bad(String name, String file, Supplier<byte[]> bytes, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void buildModel() {
        model = tmp.resolve("model");
        TestModels.tiny(model);
    }

    static Stream<Bad> corpus() {
        return Stream.of(
                new Bad("empty PNG", "empty.png", () -> new byte[0], "empty file"),
                new Bad("text file named .png", "notes.png", () -> ascii("just some notes\n"), "not a supported image"),
                new Bad("PNG signature only", "sig.png", () -> BadImages.PNG_SIGNATURE, "PNG"),
                new Bad("PNG truncated in half", "half.png", () -> BadImages.truncate(BadImages.valid("png"), 0.5),
                        "truncated"),
                new Bad("PNG with corrupt compressed data", "zlib.png", BadImages::pngCorruptIdat, "corrupt"),
                new Bad("PNG declaring 100000x100000 pixels", "bomb.png", () -> BadImages.pngBomb(100_000, 100_000),
                        "more than the limit of 64 megapixels"),
                new Bad("PNG declaring 0x0 pixels", "zero.png", () -> BadImages.pngBomb(0, 0), "PNG"),
                new Bad("empty JPEG", "empty.jpg", () -> new byte[0], "empty file"),
                new Bad("JPEG truncated in half", "half.jpg", () -> BadImages.truncate(BadImages.valid("jpeg"), 0.5),
                        "truncated"),
                new Bad("JPEG with garbage after its header", "garbage.jpg",
                        () -> BadImages.garbleAfter(BadImages.valid("jpeg"), 20, 3), "corrupt"),
                new Bad("JPEG declaring 60000x60000 pixels", "bomb.jpg", () -> BadImages.jpegBomb(60_000, 60_000),
                        "more than the limit of 64 megapixels"),
                new Bad("WebP header only", "head.webp", () -> BadImages.truncate(BadImages.webpCorrupt(), 0.3),
                        "unexpected end of file"),
                new Bad("WebP with a corrupt bitstream", "garbage.webp", BadImages::webpCorrupt, "corrupt"),
                new Bad("WebP declaring 16384x16384 pixels", "bomb.webp", BadImages::webpBomb,
                        "more than the limit of 64 megapixels"),
                new Bad("GIF truncated in half", "half.gif", () -> BadImages.truncate(BadImages.valid("gif"), 0.5),
                        "truncated"),
                new Bad("GIF with garbage after its header", "garbage.gif",
                        () -> BadImages.garbleAfter(BadImages.valid("gif"), 13, 5), "GIF"),
                new Bad("GIF declaring 65535x65535 pixels", "bomb.gif", () -> BadImages.gifBomb(65_535, 65_535),
                        "more than the limit of 64 megapixels"),
                new Bad("BMP truncated in half", "half.bmp", () -> BadImages.truncate(BadImages.valid("bmp"), 0.5),
                        "truncated"),
                new Bad("BMP declaring 10000x10000 pixels", "bomb.bmp", () -> BadImages.bmpBomb(10_000, 10_000),
                        "more than the limit of 64 megapixels"));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void initImageIsRefused(Bad bad) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("init-" + bad.file()));
        Path file = dir.resolve(bad.file());
        Files.write(file, bad.bytes().get());
        Map<String, String> before = Expect.files(dir);
        Ldm.Run r = Ldm.run("generate", "a fox", "--model", model.toString(), "--init-image", file.toString(),
                "--steps", "1", "--seed", "1", "--out", dir.resolve("out").toString());
        Expect.refused(r, 2, file.toString(), bad.problem());
        Expect.unchanged(dir, before, r);
    }

    @Test
    void missingAndFolderInitImagesAreRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("init-missing"));
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        Ldm.Run r = Ldm.run("generate", "a fox", "--model", model.toString(), "--init-image",
                dir.resolve("missing.png").toString(), "--out", dir.resolve("out").toString());
        Expect.refused(r, 2, dir.resolve("missing.png").toString(), "file not found");
        r = Ldm.run("generate", "a fox", "--model", model.toString(), "--init-image", folder.toString(), "--out",
                dir.resolve("out").toString());
        Expect.refused(r, 2, folder.toString(), "is a folder");
        assertEquals(Map.of(), Expect.files(dir));
    }

    /**
     * A training folder with every corpus file, every odd-but-valid image of {@link OddImagesTest}
     * and two plain ones: the bad files are skipped with one warning each naming the file and the
     * problem, then a count; the rest (with no warning) train.
     */
    @Test
    void trainingFolderSkipsBadImagesWithAWarningAndACount() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("mixed-data"));
        List<Bad> bad = corpus().toList();
        for (Bad b : bad) {
            Files.write(data.resolve(b.file()), b.bytes().get());
        }
        Files.write(data.resolve("good_red.png"), BadImages.valid("png"));
        Files.write(data.resolve("good_blue.jpg"), BadImages.valid("jpeg"));
        List<OddImagesTest.Odd> odd = OddImagesTest.corpus().toList();
        for (OddImagesTest.Odd o : odd) {
            Files.write(data.resolve(o.file()), o.bytes().get());
        }
        Path out = tmp.resolve("mixed-vae");
        Ldm.Run r = Ldm.run("vae", "train", "--data", data.toString(), "--out", out.toString(), "--preset", "tiny",
                "--size", "8", "--steps", "1", "--batch", "2", "--holdout", "0.25");
        assertEquals(0, r.code(), r.describe());
        Expect.noStackTrace(r);
        List<String> warnings = r.errLines().stream().filter(l -> l.startsWith("ldm: warning: skipping ")).toList();
        assertEquals(bad.size(), warnings.size(), r.describe());
        for (Bad b : bad) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains(data.resolve(b.file()) + ": ")
                    && w.contains(b.problem())),
                    "no warning for " + b.file() + ": " + r.describe());
        }
        assertTrue(r.err().contains("ldm: warning: skipped " + bad.size() + " unreadable image(s)"), r.describe());
        for (OddImagesTest.Odd o : odd) {
            assertTrue(warnings.stream().noneMatch(w -> w.contains(data.resolve(o.file()).toString())),
                    o.name() + " was skipped: " + r.describe());
        }
        assertTrue(Files.isRegularFile(out.resolve("vae_decoder/model.onnx")), r.describe());
    }
}
