package dev.ldm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.image.PngWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fine-tuning tools' folder conventions: N_name repeat folders and trigger words. */
class RepeatFolderTest {
    @TempDir
    Path dir;

    private Path image(String relative) {
        Path p = dir.resolve(relative);
        PngWriter.write(p, new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), Map.of());
        return p;
    }

    @Test
    void repeatFoldersRepeatAndNameUncaptionedImages() throws Exception {
        Path a = image("10_my style/a.png");
        Path b = image("10_my style/b.png");
        Files.writeString(dir.resolve("10_my style/b.caption"), "a cat in my style\n");
        Path c = image("3_zxq/sub/c_d.png");
        Path d = image("plain/e_f.png");
        Path e = image("2024photos/g.png");
        List<ImageFolder.Repeated> items = ImageFolder.scanRepeated(dir, "caption");
        assertEquals(List.of(new ImageFolder.Repeated(new Sample(a, "my style"), 10),
                new ImageFolder.Repeated(new Sample(b, "a cat in my style"), 10),
                new ImageFolder.Repeated(new Sample(e, "g"), 1),
                new ImageFolder.Repeated(new Sample(c, "zxq"), 3),
                new ImageFolder.Repeated(new Sample(d, "e f"), 1)), items);
        // the root's own name never counts, and plain scan is unchanged
        assertEquals(1, ImageFolder.scanRepeated(dir.resolve("3_zxq"), "txt").get(0).repeats());
        assertEquals("c d", ImageFolder.scanRepeated(dir.resolve("3_zxq"), "txt").get(0).sample().caption());
        assertEquals(new Sample(a, "a"), ImageFolder.scan(dir).get(0));
    }

    @Test
    void impossibleRepeatCountsAreBadInput() {
        for (String folder : List.of("0_none", "10001_many", "99999999999_huge")) {
            Path root = dir.resolve("r-" + folder);
            image("r-" + folder + "/" + folder + "/x.png");
            LdmException e = assertThrows(LdmException.class, () -> ImageFolder.scanRepeated(root, "txt"));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains(folder), e.getMessage());
        }
    }

    @Test
    void triggerWordIsPrependedToEveryCaption() {
        assertEquals("zxq, a red fox", ImageFolder.withTrigger("zxq", "a red fox"));
        assertEquals("zxq", ImageFolder.withTrigger(" zxq ", ""));
        assertEquals("a red fox", ImageFolder.withTrigger(null, "a red fox"));
        assertEquals("a red fox", ImageFolder.withTrigger("  ", "a red fox"));
    }
}
