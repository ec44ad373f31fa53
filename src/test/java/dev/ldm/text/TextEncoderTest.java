package dev.ldm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.onnx.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in all-MiniLM-L6-v2 through ldm's tokenizer, ONNX session and pooling. */
class TextEncoderTest {
    private static final int L = 16;
    private static TextEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        encoder = TextEncoder.open(TextEncoderConfig.builtin(L), null, Device.CPU);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shapesAndMaskFollowTheTokens() {
        TextEmbedding e = encoder.encode(List.of("a red circle", "a blue star on a white background"));
        assertArrayEquals(new long[] {2, L, 384}, e.states().shape());
        assertArrayEquals(new long[] {2, L}, e.mask().shape());
        assertArrayEquals(new long[] {2, 384}, e.pooled().shape());
        // [CLS] a red circle [SEP] / [CLS] a blue star on a white background [SEP]
        assertArrayEquals(new int[] {5, 9}, e.tokenCounts());
        for (int t = 0; t < L; t++) {
            assertEquals(t < 5 ? 1f : 0f, e.mask().data()[t], "mask at " + t);
        }
    }

    @Test
    void pooledIsTheMaskedMeanOfTheStates() {
        TextEmbedding e = encoder.encode(List.of("a green heart", "a yellow triangle next to a black ring"));
        int d = e.dim();
        for (int b = 0; b < e.batch(); b++) {
            int n = e.tokenCounts()[b];
            for (int k = 0; k < d; k++) {
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    sum += e.states().data()[(b * L + t) * d + k];
                }
                assertEquals(sum / n, e.pooled().data()[b * d + k], 1e-5);
            }
        }
    }

    @Test
    void deterministicAndPaddingInvariant() {
        TextEmbedding alone = encoder.encode(List.of("a purple square"));
        TextEmbedding again = encoder.encode(List.of("a purple square"));
        assertEquals(alone.states(), again.states());
        TextEmbedding batched = encoder.encode(List.of("a much longer prompt about an orange cross and more", "a purple square"));
        TextEmbedding row = batched.select(1);
        int real = alone.tokenCounts()[0];
        for (int i = 0; i < real * alone.dim(); i++) {
            assertEquals(alone.states().data()[i], row.states().data()[i], 1e-4, "state " + i);
        }
        assertArrayEquals(alone.mask().data(), row.mask().data());
    }

    @Test
    void differentPromptsDifferAndEmptyPromptWorks() {
        TextEmbedding e = encoder.encode(List.of("a red circle", "a blue square", ""));
        assertTrue(distance(e.pooled(), 0, 1) > 0.1, "pooled vectors of different prompts differ");
        assertEquals(2, e.tokenCounts()[2]); // [CLS] [SEP]
        for (float v : e.pooled().data()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void normalisesPromptsBeforeTokenising() {
        TextEmbedding e = encoder.encode(List.of("A  Red\u00A0Circle", "a red circle"));
        assertEquals(0.0, distance(e.pooled(), 0, 1), 1e-6);
    }

    @Test
    void truncatesLongPromptsToMaxLength() {
        String longPrompt = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
        assertTrue(encoder.truncates(longPrompt));
        assertFalse(encoder.truncates("a red circle"));
        TextEmbedding e = encoder.encode(List.of(longPrompt));
        assertEquals(L, e.tokenCounts()[0]);
    }

    @Test
    void longListsAreEncodedInChunksWithTheSameResult() {
        List<String> prompts = new java.util.ArrayList<>();
        for (int i = 0; i < TextEncoder.CHUNK + 3; i++) {
            prompts.add("shape number " + i);
        }
        TextEmbedding all = encoder.encode(prompts);
        assertEquals(prompts.size(), all.batch());
        TextEmbedding last = encoder.encode(List.of(prompts.get(prompts.size() - 1)));
        TextEmbedding lastRow = all.select(prompts.size() - 1);
        for (int i = 0; i < last.pooled().data().length; i++) {
            assertEquals(last.pooled().data()[i], lastRow.pooled().data()[i], 1e-4);
        }
    }

    @Test
    void filesInAModelFolderWorkLikeTheBuiltin() throws Exception {
        Path text = Files.createDirectories(dir.resolve("text"));
        try (var onnx = TextEncoder.class.getResourceAsStream(TextEncoderConfig.BUILTIN_ONNX_RESOURCE);
                var tok = TextEncoder.class.getResourceAsStream(TextEncoderConfig.BUILTIN_TOKENIZER_RESOURCE)) {
            Files.copy(onnx, text.resolve("model.onnx"));
            Files.copy(tok, text.resolve("tokenizer.json"));
        }
        TextEncoderConfig files = new TextEncoderConfig("text/model.onnx", "text/tokenizer.json", L,
                "output_0", 384, "first");
        List<String> prompts = List.of("a red circle", "");
        try (TextEncoder fromFiles = TextEncoder.open(files, dir, Device.CPU)) {
            TextEmbedding a = fromFiles.encode(prompts);
            TextEmbedding b = encoder.encode(prompts);
            assertArrayEquals(b.states().data(), a.states().data(), 1e-5f);
            assertArrayEquals(b.mask().data(), a.mask().data());
            assertArrayEquals(TextPooling.FIRST.pool(b.states(), b.mask()).data(), a.pooled().data(), 1e-5f);
        }
    }

    @Test
    void refusesAWrongHiddenSize() {
        TextEncoderConfig wrong = new TextEncoderConfig(TextEncoderConfig.BUILTIN_MINILM,
                TextEncoderConfig.BUILTIN_MINILM, L, "output_0", 512, "mean");
        LdmException e = assertThrows(LdmException.class, () -> TextEncoder.open(wrong, null, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("hidden size 384"), e.getMessage());
    }

    @Test
    void refusesAMissingOutputAndMissingFiles() {
        TextEncoderConfig noOutput = new TextEncoderConfig(TextEncoderConfig.BUILTIN_MINILM,
                TextEncoderConfig.BUILTIN_MINILM, L, "last_hidden_state", 384, "mean");
        LdmException e = assertThrows(LdmException.class, () -> TextEncoder.open(noOutput, null, Device.CPU));
        assertTrue(e.getMessage().contains("last_hidden_state"), e.getMessage());
        TextEncoderConfig files = new TextEncoderConfig("text/model.onnx", "text/tokenizer.json", L,
                "output_0", 384, "mean");
        e = assertThrows(LdmException.class, () -> TextEncoder.open(files, dir, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void refusesAFileThatIsNotATokenizer() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}");
        TextEncoderConfig c = new TextEncoderConfig(TextEncoderConfig.BUILTIN_MINILM, "tokenizer.json", L,
                "output_0", 384, "mean");
        LdmException e = assertThrows(LdmException.class, () -> TextEncoder.open(c, dir, Device.CPU));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    private static double distance(Tensor pooled, int a, int b) {
        int d = (int) pooled.shape()[1];
        double s = 0;
        for (int k = 0; k < d; k++) {
            double x = pooled.data()[a * d + k] - pooled.data()[b * d + k];
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
