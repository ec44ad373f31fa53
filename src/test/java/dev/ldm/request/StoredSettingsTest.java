package dev.ldm.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.flow.GuidanceInterval;
import dev.ldm.folder.ModelManifest;
import dev.ldm.generate.BatchOrigin;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.GeneratedImage;
import dev.ldm.generate.InitImage;
import dev.ldm.image.PngWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredSettingsTest {
    private static final ModelManifest.Defaults DEFAULTS = new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0);

    @TempDir
    Path tmp;

    private Path png(String name, Map<String, String> chunks) {
        Path p = tmp.resolve(name);
        PngWriter.write(p, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), chunks);
        return p;
    }

    private Path a1111(String parameters) {
        return png("a.png", Map.of("parameters", parameters));
    }

    private String error(Path p) {
        LdmException e = assertThrows(LdmException.class, () -> StoredSettings.read(p));
        assertEquals(LdmException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void ldmChunkRoundTripsTheRequestAndItsBatch() {
        GenerateRequest r = new GenerateRequest("a red \"circle\"\nsecond line", "blue", 3, 2.5, 12, 4, 16, "sde:0.5",
                1.5);
        Map<String, String> chunks = OutputWriter.textChunks(new GeneratedImage(null, r.image(2),
                new BatchOrigin(12, 4, 2)), "tiny", "0123456789", null);
        StoredSettings s = StoredSettings.read(png("l.png", chunks));
        assertEquals("ldm", s.source());
        assertEquals(r.image(2), s.options().resolve(DEFAULTS, 999));
        assertEquals(new BatchOrigin(12, 4, 2), s.batch());
        assertEquals("0123456789", s.modelHash());
        RenderPlan plan = RenderPlan.rerender(RequestOptions.NONE, s, DEFAULTS, 999);
        assertEquals(r, plan.origin().batchRequest(plan.request()));
        RenderPlan reseeded = RenderPlan.rerender(RequestOptions.NONE.withSeed(5L), s, DEFAULTS, 999);
        assertNull(reseeded.origin());
        assertEquals(5, reseeded.request().seed());
    }

    @Test
    void aGuidanceIntervalRoundTripsThroughBothChunksAndAnOldChunkMeansGuidanceAtEveryT() {
        GenerateRequest r = new GenerateRequest("a fox", "", 5, 3.0, 8, 1, 16, "euler", 1.0,
                new GuidanceInterval(0.22, 0.84));
        Map<String, String> chunks = OutputWriter.textChunks(r, "tiny", "0123456789");
        assertTrue(chunks.get("ldm").contains("\"cfg-interval\":\"0.22,0.84\""), chunks.get("ldm"));
        assertTrue(chunks.get("parameters").contains("CFG interval: \"0.22,0.84\""), chunks.get("parameters"));
        ModelManifest.Defaults intervalDefaults = new ModelManifest.Defaults(8, 30, 3.0, "euler", 1.0, "0.3,0.7");
        assertEquals(r, StoredSettings.read(png("gi.png", chunks)).options().resolve(intervalDefaults, 0));
        Map<String, String> a1111Only = Map.of("parameters", chunks.get("parameters"));
        assertEquals(r, RenderPlan.rerender(RequestOptions.NONE, StoredSettings.read(png("gi-a.png", a1111Only)),
                intervalDefaults, 0).request());
        // guidance at every t is left out of the chunk (as before intervals existed) and read back as such,
        // whatever the model's default
        GenerateRequest always = new GenerateRequest("a fox", "", 5, 3.0, 8, 1, 16, "euler", 1.0);
        Map<String, String> old = OutputWriter.textChunks(always, "tiny", "0123456789");
        assertFalse(old.get("ldm").contains("interval") || old.get("parameters").contains("interval"), old.toString());
        assertEquals(always, RenderPlan.rerender(RequestOptions.NONE, StoredSettings.read(png("gi-old.png", old)),
                intervalDefaults, 0).request());
        assertEquals(new GuidanceInterval(0.3, 0.7), RequestOptions.NONE.withPrompt("x")
                .resolve(intervalDefaults, 0).cfgInterval());
    }

    @Test
    void a1111ParametersMapAsFarAsTheyGo() {
        Path p = a1111("a cat, masterpiece\nNegative prompt: dog\nSteps: 12, Sampler: Euler a, CFG scale: 6.5, "
                + "Seed: 1234, Size: 16x16, Model: sd15, Model hash: abcdef, Clip skip: 2, Denoising strength: 0.4");
        StoredSettings s = StoredSettings.read(p);
        assertEquals("parameters", s.source());
        GenerateRequest r = RenderPlan.rerender(RequestOptions.NONE, s, DEFAULTS, 0).request();
        assertEquals(new GenerateRequest("a cat, masterpiece", "dog", 12, 6.5, 1234, 1, 16, "euler", 1.0), r);
        assertEquals("abcdef", s.modelHash());
        assertTrue(s.ignored().contains("Clip skip") && s.ignored().contains("Denoising strength"), s.ignored()
                .toString());
        assertEquals("heun", A1111Settings.sampler("Heun"));
        assertEquals("sde", A1111Settings.sampler("SDE"));
        assertEquals("sde:0.5", A1111Settings.sampler("sde:0.5"));
        assertNull(A1111Settings.sampler("DPM++ 2M Karras"));
        GenerateRequest sparse = RenderPlan.rerender(RequestOptions.NONE, StoredSettings.read(a1111("just a prompt")),
                DEFAULTS, 77).request();
        assertEquals(new GenerateRequest("just a prompt", "", 30, 3.0, 77, 1, 8, "euler", 1.0), sparse);
    }

    @Test
    void unmappableValuesMustBeOverridden() {
        StoredSettings s = StoredSettings.read(a1111("a cat\nSteps: 20, Sampler: DPM++ 2M Karras, Size: 512x768"));
        LdmException e = assertThrows(LdmException.class, () -> RenderPlan.rerender(RequestOptions.NONE, s,
                DEFAULTS, 0));
        assertTrue(e.getMessage().contains("DPM++ 2M Karras") || e.getMessage().contains("512x768"), e.getMessage());
        RequestOptions both = RequestOptions.NONE.with("sampler", "heun").with("size", "16");
        GenerateRequest r = RenderPlan.rerender(both, s, DEFAULTS, 0).request();
        assertEquals("heun", r.sampler());
        assertEquals(16, r.size());
        assertEquals(20, r.steps());
    }

    @Test
    void malformedOrHostileMetadataIsOneBadInputLine() throws Exception {
        String[] bad = {
            "not json", "[]", "{}", "{\"request\": 5}", "{\"request\": {}}",
            "{\"request\": {\"prompt\": \"x\", \"steps\": \"many\"}}",
            "{\"request\": {\"prompt\": \"x\", \"steps\": 1e400}}",
            "{\"request\": {\"prompt\": \"x\", \"evil\": 1}}",
            "{\"request\": {\"prompt\": \"x\", \"seed\": 3}, \"batch\": {\"seed\": 1, \"n\": 4, \"index\": 1}}",
            "{\"request\": {\"prompt\": \"x\", \"seed\": 3}, \"batch\": {\"seed\": 1, \"n\": 4, \"index\": 9}}",
            "{\"request\": {\"prompt\": \"x\", \"init\": {\"path\": \"a.png\"}}}",
            "{\"request\": {\"prompt\": \"x\"}, \"model\": {\"a\": 1}}",
            "[".repeat(100_000),
        };
        for (String json : bad) {
            String m = error(png("h.png", Map.of("ldm", json)));
            assertTrue(m.startsWith(tmp.resolve("h.png") + ": "), m);
            assertTrue(!m.contains("\n"), m);
        }
        assertTrue(error(png("none.png", Map.of("Software", "x"))).contains("no generation settings"));
        Path notPng = Files.writeString(tmp.resolve("n.png"), "hello");
        assertTrue(error(notPng).contains("not a PNG"));
        Map<String, String> longPrompt = new LinkedHashMap<>();
        longPrompt.put("ldm", "{\"request\": {\"prompt\": \"" + "x".repeat(20_000) + "\"}}");
        StoredSettings s = StoredSettings.read(png("long.png", longPrompt));
        LdmException e = assertThrows(LdmException.class, () -> RenderPlan.rerender(RequestOptions.NONE, s, DEFAULTS,
                0));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    @Test
    void aChangedInitImageIsRefused() throws Exception {
        Path init = tmp.resolve("init.png");
        PngWriter.write(init, new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), Map.of());
        GenerateRequest r = new GenerateRequest("x", "", 2, 1.0, 1, 1, 8, "euler", 1.0)
                .withInit(InitImage.of(init.toString(), 0.5));
        StoredSettings s = StoredSettings.read(png("i.png", OutputWriter.textChunks(r, "m", "h")));
        assertEquals(r, RenderPlan.rerender(RequestOptions.NONE, s, DEFAULTS, 0).request());
        PngWriter.write(init, new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB), Map.of());
        LdmException e = assertThrows(LdmException.class, () -> RenderPlan.rerender(RequestOptions.NONE, s, DEFAULTS,
                0));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
        assertThrows(LdmException.class, () -> InitImage.of(init.toString(), 1.5));
        assertThrows(LdmException.class, () -> InitImage.of(init.toString(), Double.NaN));
    }
}
