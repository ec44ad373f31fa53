package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.imaging.formats.png.AbstractPngText;
import org.apache.commons.imaging.formats.png.PngImageParser;
import org.apache.commons.imaging.formats.png.PngImagingParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngMetadataTest {
    @TempDir
    Path dir;

    private static Map<String, String> text() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("parameters", "a red circle\nNegative prompt: blurry\nSteps: 30, Sampler: Euler, Seed: 42");
        m.put("ldm", "{\"prompt\":\"a red circle\",\"guidance\":5.0}");
        m.put("Comment", "caf\u00E9 (Latin-1 fits tEXt)");
        m.put("unicode", "\u65E5\u672C\u8A9E \u2713 \u201Cquoted\u201D");
        return m;
    }

    @Test
    void textChunksRoundTripInOrderAndPixelsSurvive() throws Exception {
        BufferedImage img = TestImages.noise(16, 12, 5);
        Path f = dir.resolve("out.png");
        PngWriter.write(f, img, text());
        Map<String, String> back = PngMetadata.read(f);
        assertEquals(text(), back);
        assertEquals(List.copyOf(text().keySet()), List.copyOf(back.keySet()));
        assertArrayEquals(ImagePixels.argb(img), ImagePixels.argb(Images.read(f)));
        byte[] bytes = Files.readAllBytes(f);
        indexOf(bytes, "tEXtparameters\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // viewers read tEXt
        indexOf(bytes, "iTXtunicode\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void repeatedWritesAreByteIdentical() throws Exception {
        BufferedImage img = TestImages.noise(32, 32, 9);
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        PngWriter.write(a, img, text());
        PngWriter.write(b, TestImages.noise(32, 32, 9), text());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        PngWriter.write(a, img, text()); // overwrite in place
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void readsZtxtAndAnImageWithoutText() throws Exception {
        PngImagingParameters p = new PngImagingParameters();
        p.setTextChunks(List.of(new AbstractPngText.Ztxt("Description", "squeezed text ".repeat(50))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PngImageParser().writeImage(TestImages.noise(4, 4, 1), out, p);
        Path f = Files.write(dir.resolve("z.png"), out.toByteArray());
        assertEquals(Map.of("Description", "squeezed text ".repeat(50)), PngMetadata.read(f));
        Path plain = dir.resolve("plain.png");
        PngWriter.write(plain, TestImages.noise(4, 4, 1), Map.of());
        assertEquals(Map.of(), PngMetadata.read(plain));
    }

    @Test
    void refusesKeywordsPngCannotHold() {
        BufferedImage img = TestImages.noise(2, 2, 1);
        for (String key : new String[] {"", " lead", "x".repeat(80), "tab\there"}) {
            assertThrows(IllegalArgumentException.class, () -> PngWriter.encode(img, Map.of(key, "v")), key);
        }
    }

    @Test
    void malformedFilesAreBadInputNamingTheFile() throws Exception {
        byte[] good = PngWriter.encode(TestImages.noise(8, 8, 2), text());
        byte[] badCrc = good.clone();
        int at = indexOf(good, "tEXt".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 6;
        badCrc[at] ^= 1;
        Path[] files = {
            Files.write(dir.resolve("crc.png"), badCrc),
            Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length - 30)),
            Files.write(dir.resolve("text.png"), "hello".getBytes()),
            Files.write(dir.resolve("empty.png"), new byte[0]),
            dir.resolve("missing.png"),
        };
        for (Path f : files) {
            LdmException e = assertThrows(LdmException.class, () -> PngMetadata.read(f), f.toString());
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        }
    }

    @Test
    void refusesAHugeOrTruncatedCompressedChunk() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        byte[] header = TestImages.pngHeaderOnly(1, 1);
        png.writeBytes(Arrays.copyOf(header, header.length - 12)); // without IEND
        byte[] z = deflate(new byte[PngMetadata.MAX_TEXT + 1]);
        png.writeBytes(TestImages.chunk("zTXt", concat("bomb\0\0".getBytes(), z)));
        png.writeBytes(TestImages.chunk("IEND", new byte[0]));
        Path bomb = Files.write(dir.resolve("bomb.png"), png.toByteArray());
        LdmException e = assertThrows(LdmException.class, () -> PngMetadata.read(bomb));
        assertTrue(e.getMessage().contains("inflates past"), e.getMessage());
    }

    private static byte[] deflate(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
