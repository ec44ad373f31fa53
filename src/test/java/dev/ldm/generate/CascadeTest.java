package dev.ldm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.LdmException;
import dev.ldm.TestModels;
import dev.ldm.flow.StepListener;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.PngWriter;
import dev.ldm.onnx.Device;
import dev.ldm.request.RequestField;
import dev.ldm.request.RequestOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with a draft model: the draft's image, upscaled, redrawn from time S. */
class CascadeTest {
    @TempDir
    static Path tmp;
    static ModelFolder cascade;

    @BeforeAll
    static void makeModels() {
        cascade = TestModels.cascade(tmp.resolve("cascade"), 0.6);
    }

    private static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static GenerateRequest request(RequestOptions extra) {
        return RequestOptions.NONE.withPrompt("a red circle").set(RequestField.STEPS, 3).set(RequestField.N, 3)
                .orElse(extra).resolve(cascade.manifest().defaults(), 5);
    }

    @Test
    void eachImageIsItsDraftRedrawnAsAnInitImageWouldBe() {
        try (Generator g = Generator.open(cascade, Device.CPU)) {
            GenerateRequest r = request(RequestOptions.NONE);
            assertEquals(0.6, r.draftStrength());
            List<GeneratedImage> out = g.generate(r, StepListener.NONE, null);
            assertEquals(3, out.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(16, out.get(i).image().getWidth());
                // the draft alone: its own size (8) and shift, the request's seed, steps and guidance
                GeneratedImage draft = g.draft().generate(new GenerateRequest("a red circle", "", 3, r.cfg(), 5 + i,
                        1, TestModels.SIZE, "euler", 1.0), StepListener.NONE, null).get(0);
                assertEquals(TestModels.SIZE, draft.image().getWidth());
                Path png = tmp.resolve("draft-" + i + ".png");
                PngWriter.write(png, draft.image(), Map.of());
                GenerateRequest viaInit = r.image(i).withInit(InitImage.of(png.toString(), 0.6));
                assertNull(viaInit.draftStrength());
                assertArrayEquals(rgb(g.generate(viaInit, StepListener.NONE, null).get(0).image()),
                        rgb(out.get(i).image()), "image " + i);
            }
        }
    }

    @Test
    void tagGuidanceGuidesTheDraftAndNotTheRedraw() {
        ModelFolder reading = TestModels.cascade(tmp.resolve("reading"), 0.6, null, 0.5f); // DiTs that read the prompt
        String prompt = "a red circle, blue square";
        try (Generator g = Generator.open(reading, Device.CPU)) {
            GenerateRequest r = new GenerateRequest(prompt, "", 3, 3.0, 5, 1, 16, "euler", 1.0, null, null, 0.6, null,
                    null, 2.0);
            GenerateRequest draftRequest = new GenerateRequest(prompt, "", 3, 3.0, 5, 1, TestModels.SIZE, "euler", 1.0,
                    null, null, null, null, null, 2.0);
            GeneratedImage draft = g.draft().generate(draftRequest, StepListener.NONE, null).get(0);
            GeneratedImage unguidedDraft = g.draft().generate(draftRequest.withTagGuidance(null), StepListener.NONE,
                    null).get(0);
            assertFalse(Arrays.equals(rgb(draft.image()), rgb(unguidedDraft.image())), "the draft must feel it");
            Path png = tmp.resolve("tag-draft.png");
            PngWriter.write(png, draft.image(), Map.of());
            // the cascade's image is the tag-guided draft redrawn as an init image (which takes no tag guidance)
            GenerateRequest viaInit = r.withInit(InitImage.of(png.toString(), 0.6));
            assertNull(viaInit.tagGuidance());
            assertArrayEquals(rgb(g.generate(viaInit, StepListener.NONE, null).get(0).image()),
                    rgb(g.generate(r, StepListener.NONE, null).get(0).image()));
            LdmException e = assertThrows(LdmException.class, () -> viaInit.withTagGuidance(2.0));
            assertTrue(e.getMessage().startsWith("--tag-guidance"), e.getMessage());
        }
    }

    @Test
    void strengthOneIsTheModelWithoutItsDraft() {
        GenerateRequest one = request(RequestOptions.NONE.set(RequestField.DRAFT_STRENGTH, 1.0));
        assertNull(one.draftStrength());
        List<int[]> withDraft;
        List<int[]> fromNoise;
        try (Generator g = Generator.open(cascade, Device.CPU)) {
            fromNoise = g.generate(one, StepListener.NONE, null).stream().map(x -> rgb(x.image())).toList();
            withDraft = g.generate(request(RequestOptions.NONE), StepListener.NONE, null).stream()
                    .map(x -> rgb(x.image())).toList();
        }
        ModelFolder alone = new ModelFolder(cascade.dir(), cascade.manifest().withoutDraft());
        try (Generator g = Generator.open(alone, Device.CPU)) {
            assertNull(g.draft());
            List<int[]> plain = g.generate(one, StepListener.NONE, null).stream().map(x -> rgb(x.image())).toList();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(plain.get(i), fromNoise.get(i), "image " + i);
                assertFalse(Arrays.equals(plain.get(i), withDraft.get(i)), "the draft changes image " + i);
            }
            GenerateRequest drafted = request(RequestOptions.NONE);
            LdmException e = assertThrows(LdmException.class, () -> g.generate(drafted, StepListener.NONE, null));
            assertTrue(e.getMessage().contains("this model has no draft model"), e.getMessage());
        }
    }

    @Test
    void anAnchorOfOneCellKeepsAllOfTheDraftAndTwoKeepsLess() throws Exception {
        try (Generator g = Generator.open(cascade, Device.CPU)) {
            GenerateRequest all = request(RequestOptions.NONE.set(RequestField.DRAFT_ANCHOR, 1));
            assertEquals(1, all.draftAnchor());
            assertNull(request(RequestOptions.NONE).draftAnchor(), "the test cascade names no anchor");
            List<GeneratedImage> kept = g.generate(all, StepListener.NONE, null);
            List<GeneratedImage> blocks = g.generate(request(RequestOptions.NONE.set(RequestField.DRAFT_ANCHOR, 2)),
                    StepListener.NONE, null);
            List<GeneratedImage> free = g.generate(request(RequestOptions.NONE), StepListener.NONE, null);
            for (int i = 0; i < 3; i++) {
                GeneratedImage draft = g.draft().generate(new GenerateRequest("a red circle", "", 3, all.cfg(), 5 + i,
                        1, TestModels.SIZE, "euler", 1.0), StepListener.NONE, null).get(0);
                Path png = tmp.resolve("anchor-draft-" + i + ".png");
                PngWriter.write(png, draft.image(), Map.of());
                // strength 0: the draft's upscaled image through the VAE, nothing redrawn
                int[] roundTrip = rgb(g.generate(all.image(i).withInit(InitImage.of(png.toString(), 0.0)),
                        StepListener.NONE, null).get(0).image());
                assertTrue(maxChannelDiff(roundTrip, rgb(kept.get(i).image())) <= 1, "image " + i);
                assertTrue(maxChannelDiff(roundTrip, rgb(blocks.get(i).image())) > 1, "image " + i);
                assertTrue(maxChannelDiff(roundTrip, rgb(free.get(i).image())) > 1, "image " + i);
            }
        }
    }

    /** The largest difference of one 8-bit channel between two ARGB images. */
    static int maxChannelDiff(int[] a, int[] b) {
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                m = Math.max(m, Math.abs(((a[i] >> shift) & 255) - ((b[i] >> shift) & 255)));
            }
        }
        return m;
    }

    @Test
    void malformedCascadesAreRefusedNamingTheProblem() throws Exception {
        String manifest = Files.readString(cascade.dir().resolve(ModelFolder.MANIFEST));
        Map<String, String> cases = Map.of(
                "\"draftStrength\": 0.6", "a draft model and defaults.draftStrength go together",
                "\"draft\": \"draft\"", "a draft model and defaults.draftStrength go together");
        for (var c : cases.entrySet()) {
            assertTrue(manifest.contains(c.getKey()), manifest);
            Path dir = tmp.resolve("bad-" + Math.abs(c.getKey().hashCode()));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ModelFolder.MANIFEST), manifest.replace(c.getKey() + ",", "")
                    .replace(",\n    " + c.getKey(), ""));
            LdmException e = assertThrows(LdmException.class, () -> ModelFolder.open(dir));
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
        }
        Path anchorAlone = tmp.resolve("bad-anchor");
        TestModels.tiny(anchorAlone);
        Path m = anchorAlone.resolve(ModelFolder.MANIFEST);
        assertTrue(Files.readString(m).contains("\"shift\": 1.0"));
        Files.writeString(m, Files.readString(m).replace("\"shift\": 1.0", "\"shift\": 1.0, \"draftAnchor\": 2"));
        LdmException anchor = assertThrows(LdmException.class, () -> ModelFolder.open(anchorAlone));
        assertTrue(anchor.getMessage().endsWith("defaults.draftAnchor needs a draft model and defaults.draftStrength"),
                anchor.getMessage());

        // defaults.draftColour: a known word, with an anchor to free, and a colour plane to free
        Map<String, String> colours = Map.of(
                "\"draftColour\": \"green\"", "defaults.draftColour must be one of [kept, free, auto], not 'green'",
                "\"draftColour\": \"auto\"", "defaults.draftColour auto needs defaults.draftAnchor",
                "\"draftAnchor\": 2, \"draftColour\": \"free\"", "defaults.draftColour free needs vae.colourPlane");
        assertTrue(manifest.contains("\"shift\": 1.0"), manifest);
        for (var c : colours.entrySet()) {
            Path dir = tmp.resolve("bad-colour-" + Math.abs(c.getKey().hashCode()));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ModelFolder.MANIFEST), manifest.replace("\"shift\": 1.0",
                    "\"shift\": 1.0, " + c.getKey()));
            LdmException e = assertThrows(LdmException.class, () -> ModelFolder.open(dir), c.getKey());
            assertTrue(e.getMessage().endsWith(c.getValue()), e.getMessage());
        }

        Path outside = tmp.resolve("bad-outside");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve(ModelFolder.MANIFEST),
                manifest.replace("\"draft\": \"draft\"", "\"draft\": \"../cascade/draft\""));
        LdmException e = assertThrows(LdmException.class, () -> ModelFolder.open(outside));
        assertTrue(e.getMessage().endsWith("draft '../cascade/draft' leaves the model folder"), e.getMessage());

        Path missing = tmp.resolve("bad-missing");
        Files.createDirectories(missing);
        Files.writeString(missing.resolve(ModelFolder.MANIFEST), manifest);
        e = assertThrows(LdmException.class, () -> ModelFolder.open(missing).draftFolder());
        assertTrue(e.getMessage().contains("draft model: ") && e.getMessage().endsWith("model folder not found"),
                e.getMessage());

        Path nested = tmp.resolve("bad-nested");
        TestModels.cascade(nested, 0.5);
        TestModels.cascade(nested.resolve("draft"), 0.5);
        e = assertThrows(LdmException.class, () -> Generator.open(ModelFolder.open(nested), Device.CPU));
        assertTrue(e.getMessage().endsWith("the draft model has a draft model of its own; a cascade has two stages"),
                e.getMessage());
    }
}
