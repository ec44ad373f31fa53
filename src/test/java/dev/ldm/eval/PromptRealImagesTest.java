package dev.ldm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ldm.io.Tensor;
import dev.ldm.judge.LabelRule;
import dev.ldm.judge.LabeledImages;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptRealImagesTest {
    private static LabeledImages real(List<String> captions) {
        List<Tensor> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < captions.size(); i++) {
            images.add(new Tensor(new long[] {3, 1, 1}, new float[3]));
            labels.add(LabelRule.CONCEPT.label(captions.get(i)));
            files.add(Path.of("img" + i + ".png"));
        }
        return new LabeledImages(images, labels, captions, files);
    }

    @Test
    void aPromptTakesItsOwnCaptionsImagesElseItsClassesRepeatedToK() {
        LabeledImages real = real(List.of("fox, noto style", "fox, twemoji style", "cat, noto style",
                "cat, twemoji style", "cat, fluent style"));
        List<EvalPrompt> prompts = List.of(
                new EvalPrompt("Fox, Noto Style", null),     // its own caption (normalised): image 0, twice
                new EvalPrompt("a drawing of a cat", "cat"), // no caption: its class, in file order
                new EvalPrompt("an owl", "owl"),              // no real image: left out
                new EvalPrompt("fox, fluent style", null));   // no caption, class fox by the label rule
        assertArrayEquals(new int[] {0, 0, 2, 3, 0, 1}, PromptRealImages.rows(prompts, 2, real, LabelRule.CONCEPT));
        assertArrayEquals(new int[] {0, 2, 0}, PromptRealImages.rows(prompts, 1, real, LabelRule.CONCEPT));
        assertArrayEquals(new int[] {0, 0, 0, 2, 3, 4, 0, 1, 0}, PromptRealImages.rows(prompts, 3, real, LabelRule.CONCEPT));
    }

    @Test
    void theFidOfThePromptsOwnImagesIsTheFidOfAGeneratorThatDrewExactlyThem() {
        Rng rng = new Rng(5);
        float[][] real = new float[40][];
        for (int i = 0; i < real.length; i++) {
            real[i] = rng.gaussian(3);
        }
        int[] rows = {3, 3, 17, 17, 25, 25, 8, 8, 30, 30};
        float[][] drewThem = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            drewThem[i] = real[rows[i]].clone();
        }
        EvalReport.Fid f = FidMeasure.measure(real, drewThem, 9, rows);
        assertEquals(f.fid(), f.promptImages(), 0.0);
        assertEquals(rows.length, f.promptImagesCount());

        float[][] other = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            other[i] = rng.gaussian(3);
        }
        EvalReport.Fid g = FidMeasure.measure(real, other, 9, rows);
        assertEquals(f.promptImages(), g.promptImages(), 0.0, "it does not depend on the generated images");
        assertEquals(FidMeasure.measure(real, other, 9).fid(), g.fid(), 0.0, "nor does the model's FID on it");
        assertNull(FidMeasure.measure(real, other, 9, new int[] {3}).promptImages(), "one image has no covariance");
    }
}
