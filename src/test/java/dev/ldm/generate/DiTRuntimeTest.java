package dev.ldm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.TestModels;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.onnx.Device;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling with the DiT in ONNX Runtime gives the images DJL gives, to within one 8-bit level per
 * channel, and each runtime repeats its own pixels exactly for a seed.
 */
class DiTRuntimeTest {
    @TempDir
    static Path tmp;
    static Generator djl;
    static Generator onnx;
    static ModelFolder model;

    @BeforeAll
    static void open() {
        model = TestModels.tiny(tmp.resolve("model"));
        djl = Generator.open(model, Device.CPU, List.of(), DiTRuntime.DJL);
        onnx = Generator.open(model, Device.CPU, List.of(), DiTRuntime.ONNX);
    }

    @AfterAll
    static void close() {
        djl.close();
        onnx.close();
    }

    private static GenerateRequest request(String sampler, long seed) {
        return new GenerateRequest("a red circle", "blue", 12, 3.0, seed, 2, TestModels.SIZE, sampler, 1.0);
    }

    /** Every channel value of every image, in order. */
    private static int[] channels(List<GeneratedImage> images) {
        List<Integer> out = new ArrayList<>();
        for (GeneratedImage g : images) {
            BufferedImage im = g.image();
            for (int y = 0; y < im.getHeight(); y++) {
                for (int x = 0; x < im.getWidth(); x++) {
                    int rgb = im.getRGB(x, y);
                    out.add((rgb >> 16) & 0xff);
                    out.add((rgb >> 8) & 0xff);
                    out.add(rgb & 0xff);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] render(Generator g, GenerateRequest r) {
        return channels(g.generate(r, StepListener.NONE, null));
    }

    private static int maxDiff(int[] a, int[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void bothRuntimesGiveTheSameImagesToOneLevel() {
        assertEquals(DiTRuntime.DJL, djl.ditRuntime());
        assertEquals(DiTRuntime.ONNX, onnx.ditRuntime());
        for (String sampler : List.of("euler", "heun", "sde")) {
            int[] a = render(djl, request(sampler, 5));
            int[] b = render(onnx, request(sampler, 5));
            assertTrue(maxDiff(a, b) <= 1, sampler + ": DJL and ONNX Runtime differ by " + maxDiff(a, b) + "/255");
            // the comparison can fail: another seed moves pixels by far more than one level
            assertTrue(maxDiff(a, render(djl, request(sampler, 6))) > 8, sampler + ": the images barely vary");
        }
    }

    @Test
    void eachRuntimeRepeatsItsOwnPixelsExactly() {
        for (Generator g : List.of(djl, onnx)) {
            assertArrayEquals(render(g, request("sde", 9)), render(g, request("sde", 9)), g.ditRuntime().toString());
        }
    }

    @Test
    void theOnnxGeneratorStillGivesTheSameDjlModelOnRequest() {
        assertEquals(djl.ditConfig(), onnx.ditConfig());
        assertEquals(djl.dit().stateDict().keySet(), onnx.dit().stateDict().keySet());
        assertArrayEquals(djl.dit().stateDict().get("final_layer.linear.weight").data(),
                onnx.dit().stateDict().get("final_layer.linear.weight").data());
    }

    @Test
    void runtimeNamesParseAndOthersAreBadInput() {
        assertEquals(DiTRuntime.ONNX, DiTRuntime.parse("ONNX"));
        assertEquals(DiTRuntime.DJL, DiTRuntime.parse("djl"));
        LdmException e = assertThrows(LdmException.class, () -> DiTRuntime.parse("tensorrt"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("--dit-runtime"), e.getMessage());
    }

    @Test
    void aGeneratorOpenedWithoutARuntimeSamplesWithOnnxRuntime() {
        try (Generator plain = Generator.open(model, Device.CPU, List.of())) {
            assertEquals(DiTRuntime.ONNX, plain.ditRuntime());
            assertArrayEquals(render(onnx, request("euler", 3)), render(plain, request("euler", 3)));
        }
    }
}
