package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import dev.ldm.text.TextEncoderConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distinct captions are encoded once; a cache of alternative captions survives a save and load. */
class CaptionTableTest {
    @Test
    void distinctTextsFirstTagsAndTheEmptyPromptAreEncodedOnceEach(@TempDir Path dir) {
        try (TextEncoder text = TextEncoder.open(TextEncoderConfig.builtin(8), Path.of("."), Device.CPU)) {
            List<String> captions = List.of("fox, a", "a fox, a", "fox, b", "fox, a", "cat");
            CaptionTable t = CaptionTable.encode(captions, text);
            assertEquals(List.of("fox, a", "a fox, a", "fox, b", "cat", "fox", "a fox", ""), t.texts());
            assertArrayEquals(new int[] {4, 5, 4, 3, 4, 5, 6}, t.firstTag());
            assertEquals(6, t.empty());
            TextEmbedding direct = text.encode(t.texts());
            assertArrayEquals(direct.states().data(), t.states().data(), 1e-5f, "row i is the encoding of text i");
            assertArrayEquals(direct.pooled().data(), t.pooled().data(), 1e-5f);

            Tensor latents = new Tensor(new long[] {3, 1, 1, 1}, new float[] {1, 2, 3});
            LatentCache c = new LatentCache(latents, t, new int[][] {{0, 1}, {2}, {3}});
            Path file = dir.resolve("cache.safetensors");
            c.save(file);
            LatentCache back = LatentCache.load(file);
            assertEquals(c.text().texts(), back.text().texts());
            assertArrayEquals(c.text().firstTag(), back.text().firstTag());
            assertArrayEquals(c.text().states().data(), back.text().states().data());
            assertArrayEquals(c.choices(), back.choices());
            assertEquals(List.of("fox, a", "fox, b", "cat"), back.captions());
            LatentCache twice = back.repeat(new int[] {2, 0, 1});
            assertArrayEquals(new float[] {1, 1, 3}, twice.latents().data());
            assertArrayEquals(new int[][] {{0, 1}, {0, 1}, {3}}, twice.choices());
        }
    }
}
