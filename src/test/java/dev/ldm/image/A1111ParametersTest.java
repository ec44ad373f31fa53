package dev.ldm.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class A1111ParametersTest {
    private static A1111Parameters sample() {
        return new A1111Parameters("a red circle", "blurry", 30, "Euler", 5.0, 42L, 32, 32, "default",
                "abcd1234", Map.of());
    }

    @Test
    void formatsLikeAutomatic1111() {
        assertEquals("a red circle\nNegative prompt: blurry\nSteps: 30, Sampler: Euler, CFG scale: 5.0, Seed: 42, "
                + "Size: 32x32, Model: default, Model hash: abcd1234", sample().format());
    }

    @Test
    void parseInvertsFormat() {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Shift", "3.0");
        extra.put("Schedule", "logit-normal, m=0: s=1");
        extra.put("Note", " padded \"quote\" ");
        extra.put("Empty", "");
        A1111Parameters[] cases = {
            sample(),
            new A1111Parameters("line one\nline two, with: punctuation\n", "", 2, "Euler a", 7.5, -1L, 512,
                    768, "my model, v2", null, extra),
            new A1111Parameters("", "neg only", null, null, null, null, null, null, null, null, Map.of()),
            new A1111Parameters("just a prompt", "", null, null, null, 9_000_000_000L, null, null, null, null, Map.of()),
            new A1111Parameters("", "", null, null, null, null, null, null, null, null, Map.of()),
        };
        for (A1111Parameters p : cases) {
            assertEquals(p, A1111Parameters.parse(p.format()), p.format());
        }
    }

    @Test
    void parsesTextWrittenByAutomatic1111() {
        String text = "masterpiece, a fox in the snow, (detailed:1.2)\n"
                + "Negative prompt: lowres, bad anatomy\n"
                + "Steps: 20, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 3141592653, Size: 512x768, "
                + "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.7, "
                + "Lora hashes: \"add_detail: 7c6bad76eb54, other: 0123\", Version: v1.6.0";
        A1111Parameters p = A1111Parameters.parse(text);
        assertEquals("masterpiece, a fox in the snow, (detailed:1.2)", p.prompt());
        assertEquals("lowres, bad anatomy", p.negativePrompt());
        assertEquals(20, p.steps());
        assertEquals("DPM++ 2M Karras", p.sampler());
        assertEquals(7.0, p.cfgScale());
        assertEquals(3141592653L, p.seed());
        assertEquals(512, p.width());
        assertEquals(768, p.height());
        assertEquals("6ce0161689", p.modelHash());
        assertEquals("v1-5-pruned-emaonly", p.model());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Denoising strength", "0.7");
        extra.put("Lora hashes", "add_detail: 7c6bad76eb54, other: 0123");
        extra.put("Version", "v1.6.0");
        assertEquals(extra, p.extra());
    }

    @Test
    void missingNegativeLineAndWindowsLineEnds() {
        A1111Parameters p = A1111Parameters.parse("a cat\r\nSteps: 4, Seed: 1, Size: 64x64");
        assertEquals("a cat", p.prompt());
        assertEquals("", p.negativePrompt());
        assertEquals(4, p.steps());
        assertNull(p.sampler());
    }

    @Test
    void promptThatLooksLikeAPairStaysAPrompt() {
        A1111Parameters p = A1111Parameters.parse("style: anime");
        assertEquals("style: anime", p.prompt());
        assertEquals(Map.of(), p.extra());
    }

    @Test
    void valuesThatDoNotConvertStayInExtra() {
        A1111Parameters p = A1111Parameters.parse("x\nSteps: many, Seed: 5, Size: big");
        assertNull(p.steps());
        assertEquals(5L, p.seed());
        assertEquals(Map.of("Steps", "many", "Size", "big"), p.extra());
        assertEquals(p, A1111Parameters.parse(p.format()));
    }
}
