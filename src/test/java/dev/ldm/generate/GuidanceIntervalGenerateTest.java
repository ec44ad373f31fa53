package dev.ldm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ldm.TestModels;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.flow.Schedule;
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
 * A guidance interval on a real (tiny) model: an interval that holds none of the sampled times is
 * the unguided sampler bit for bit, the whole interval is plain guidance bit for bit, and one
 * holding some of them is neither.
 */
class GuidanceIntervalGenerateTest {
    @TempDir
    static Path tmp;
    static Generator gen;

    @BeforeAll
    static void open() {
        ModelFolder model = TestModels.tiny(tmp.resolve("model"));
        gen = Generator.open(model, Device.CPU, List.of(), DiTRuntime.DJL);
    }

    @AfterAll
    static void close() {
        gen.close();
    }

    private static GenerateRequest request(double cfg, GuidanceInterval interval) {
        return new GenerateRequest("a red circle", "blue", 4, cfg, 11, 2, TestModels.SIZE, "euler", 1.0, interval);
    }

    /** Every image's ARGB pixels. */
    private record Render(int[] pixels) {}

    private static Render render(GenerateRequest r) {
        List<GeneratedImage> images = gen.generate(r, StepListener.NONE, null);
        return new Render(images.stream().flatMapToInt(g -> Arrays.stream(g.image().getRGB(0, 0,
                g.image().getWidth(), g.image().getHeight(), null, 0, g.image().getWidth()))).toArray());
    }

    @Test
    void noSampledTimeInsideIsUnguidedAndTheWholeIntervalIsPlainGuidance() {
        float[] times = Schedule.timesteps(4, 1.0); // 1, 0.75, 0.5, 0.25, 0: the network runs at the first four
        GuidanceInterval none = new GuidanceInterval(0.8, 0.9);
        for (int i = 0; i < 4; i++) {
            assertFalse(none.contains(times[i]));
        }
        Render unguided = render(request(1.0, GuidanceInterval.ALWAYS));
        Render plain = render(request(3.0, GuidanceInterval.ALWAYS));
        assertArrayEquals(unguided.pixels(), render(request(3.0, none)).pixels());
        assertArrayEquals(plain.pixels(), render(request(3.0, null)).pixels());
        Render some = render(request(3.0, new GuidanceInterval(0.3, 0.8))); // guides t = 0.75 and 0.5
        assertFalse(Arrays.equals(some.pixels(), plain.pixels()));
        assertFalse(Arrays.equals(some.pixels(), unguided.pixels()));
        assertArrayEquals(some.pixels(), render(request(3.0, new GuidanceInterval(0.3, 0.8))).pixels(), "repeatable");
    }
}
