package dev.ldm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.image.Images;
import dev.ldm.image.PngWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    private Path image(String relative, int rgb) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            img.setRGB(i % 8, i / 8, rgb);
        }
        Path p = dir.resolve(relative);
        PngWriter.write(p, img, Map.of());
        return p;
    }

    @Test
    void captionsComeFromTextFilesElseFileNames() throws Exception {
        Path fox = image("b/fox.PNG", 0xff0000);
        Files.writeString(dir.resolve("b/fox.txt"), "\uFEFF  a red fox, twemoji style \n");
        Path owl = image("a/snowy_owl-at-night.png", 0xffffff);
        image(".hidden/x.png", 0);
        image("a/._resource.png", 0);
        Files.writeString(dir.resolve("a/readme.md"), "not an image");
        List<Sample> samples = ImageFolder.scan(dir);
        assertEquals(List.of(new Sample(owl, "snowy owl at night"), new Sample(fox, "a red fox, twemoji style")),
                samples);
    }

    @Test
    void eachNonBlankLineOfACaptionFileIsAnAlternativeCaption() throws Exception {
        image("fox.png", 0xff8000);
        Files.writeString(dir.resolve("fox.txt"), "fox, noto style\r\n\n  a fox, noto style \nan orange fox\n\n");
        image("empty.png", 0);
        Files.writeString(dir.resolve("empty.txt"), " \n\n");
        List<Sample> s = ImageFolder.scan(dir);
        assertEquals(List.of(""), s.get(0).captions(), "an empty file: one empty caption");
        assertEquals(List.of("fox, noto style", "a fox, noto style", "an orange fox"), s.get(1).captions());
        assertEquals("fox, noto style", s.get(1).caption(), "the first line is the main caption");
    }

    @Test
    void captionExtensionIsConfigurable() throws Exception {
        Path p = image("cat.jpg.png", 0x123456);
        Files.writeString(dir.resolve("cat.jpg.caption"), "a small cat");
        assertEquals("a small cat", ImageFolder.scan(dir, ".caption").get(0).caption());
        assertEquals("cat.jpg", ImageFolder.scan(dir).get(0).caption());
        assertEquals(p, ImageFolder.scan(dir, "caption").get(0).image());
    }

    @Test
    void missingOrEmptyFoldersAreBadInput() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "x");
        for (Path p : List.of(dir.resolve("nope"), dir, dir.resolve("notes.txt"))) {
            LdmException e = assertThrows(LdmException.class, () -> ImageFolder.scan(p));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        }
    }

    @Test
    void loadSkipsUnreadableImagesWithAWarningEach() throws Exception {
        image("1_red.png", 0xff0000);
        Files.writeString(dir.resolve("2_broken.png"), "not a png");
        Files.write(dir.resolve("3_empty.jpg"), new byte[0]);
        image("4_blue.png", 0x0000ff);
        List<Sample> samples = ImageFolder.scan(dir);
        assertEquals(4, samples.size());
        List<String> warnings = new ArrayList<>();
        LoadedImages loaded = ImageFolder.load(samples, 4, warnings::add);
        assertEquals(2, loaded.skipped());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).contains("2_broken.png"), warnings.get(0));
        assertTrue(warnings.get(1).contains("3_empty.jpg"), warnings.get(1));
        assertEquals(List.of("1 red", "4 blue"), loaded.captions());
        assertArrayEquals(new long[] {2, 3, 4, 4}, loaded.stacked().shape());
        assertEquals(Images.toTensor(Images.read(samples.get(3).image()), 4), loaded.images().get(1));
        float[] red = loaded.images().get(0).data();
        assertEquals(1f, red[0], 1e-6f);
        assertEquals(-1f, red[16], 1e-6f);
    }
}
