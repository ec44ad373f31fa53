package dev.ldm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.TestModels;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.onnx.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tag guidance on a real (tiny) model: a prompt of one tag is drawn as without it, bit for bit; a prompt
 * of two tags is drawn differently and repeatably; and at g = 0 the field is the first tag's own guided
 * velocity at scale w, so the image is that of the tag alone at --cfg w.
 */
class TagGuidanceGenerateTest {
    @TempDir
    static Path tmp;
    static Generator gen;

    @BeforeAll
    static void open() {
        ModelFolder model = TestModels.tiny(tmp.resolve("model"), TestModels.SIZE, 2, 0.5f); // a DiT that reads the prompt
        gen = Generator.open(model, Device.CPU, List.of(), DiTRuntime.DJL);
    }

    @AfterAll
    static void close() {
        gen.close();
    }

    private static GenerateRequest request(String prompt, double cfg, Double w) {
        return new GenerateRequest(prompt, "", 4, cfg, 11, 2, TestModels.SIZE, "euler", 1.0, GuidanceInterval.ALWAYS,
                null, null, null, null, w);
    }

    /** Every image's ARGB pixels. */
    private static int[] render(GenerateRequest r) {
        List<GeneratedImage> images = gen.generate(r, StepListener.NONE, null);
        return images.stream().flatMapToInt(g -> Arrays.stream(g.image().getRGB(0, 0, g.image().getWidth(),
                g.image().getHeight(), null, 0, g.image().getWidth()))).toArray();
    }

    @Test
    void theTagIsTheTextBeforeTheFirstCommaAndAPromptOfOneTagHasNone() {
        assertEquals("a red circle", request("a red circle, noto style", 3, 2.0).guidedTag());
        assertEquals("keycap: 4", request("keycap: 4, twemoji style, flat", 3, 2.0).guidedTag());
        assertNull(request("a red circle", 3, 2.0).guidedTag());
        assertNull(request("a red circle, noto style", 3, null).guidedTag());
        assertNull(request("a red circle, noto style", 3, 0.0).tagGuidance(), "0 is none");
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e4}) {
            LdmException e = assertThrows(LdmException.class, () -> request("a, b", 3, bad));
            assertEquals(LdmException.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().startsWith("--tag-guidance"), e.getMessage());
        }
    }

    @Test
    void aPromptOfOneTagIsDrawnAsWithoutTagGuidanceAndTwoTagsAreNot() {
        assertArrayEquals(render(request("a red circle", 3, null)), render(request("a red circle", 3, 2.0)));
        int[] plain = render(request("a red circle, blue", 3, null));
        int[] tagged = render(request("a red circle, blue", 3, 2.0));
        assertFalse(Arrays.equals(plain, tagged));
        assertArrayEquals(tagged, render(request("a red circle, blue", 3, 2.0)), "repeatable");
        assertArrayEquals(plain, render(request("a red circle, blue", 3, 0.0)), "0 is none");
    }

    @Test
    void atGuidanceZeroTagGuidanceIsPlainGuidanceOfTheTagAlone() {
        // v = v_u + 0·(v_c − v_u) + w·(v_k − v_u): the tag's guided field at g = w, up to rounding
        for (double w : new double[] {1, 6}) {
            int[] tagOnly = render(request("a red circle", w, null));
            int[] composed = render(request("a red circle, a blue square on green", 0, w));
            int[] whole = render(request("a red circle, a blue square on green", w, null));
            int rounding = CascadeTest.maxChannelDiff(tagOnly, composed);
            assertTrue(rounding <= 1, "w " + w + ": " + rounding);
            assertTrue(CascadeTest.maxChannelDiff(tagOnly, whole) > 32, "the test must tell the tag from the prompt");
        }
    }
}
