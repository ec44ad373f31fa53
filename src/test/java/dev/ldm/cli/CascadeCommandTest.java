package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.PngMetadata;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --draft-strength} and a model folder with a draft model, from the command line. */
class CascadeCommandTest {
    @TempDir
    static Path tmp;
    static Path cascade;
    static Path plain;

    @BeforeAll
    static void makeModels() {
        cascade = tmp.resolve("cascade");
        TestModels.cascade(cascade, 0.6);
        plain = tmp.resolve("plain");
        TestModels.tiny(plain);
    }

    private static Path png(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
    }

    /**
     * {@code prompt}, 3 steps, guidance 3 (the tiny models' default, given so that a draft drawn alone matches
     * the cascade's), seed 4, drawn by {@code model} into tmp/{@code name} with {@code options}: its PNG.
     */
    private static Path draw(Path model, String name, String prompt, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("generate", prompt, "--steps", "3", "--cfg", "3",
                "--seed", "4", "--model", model.toString(), "--out", tmp.resolve(name).toString()));
        args.addAll(List.of(options));
        CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return png(tmp.resolve(name));
    }

    /** "a red circle", drawn as {@link #draw} draws it: its PNG. */
    private static Path circle(Path model, String name, String... options) throws Exception {
        return draw(model, name, "a red circle", options);
    }

    /** Re-renders {@code png} from its settings with {@code model} into tmp/{@code name}: the same bytes. */
    private static void rendersAgain(Path png, Path model, String name) throws Exception {
        Path again = tmp.resolve(name);
        CliRunner.Run r = CliRunner.run("generate", "--from-png", png.toString(), "--model", model.toString(), "--out",
                again.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(png(again)), name);
    }

    @Test
    void theDraftStrengthIsStoredAndTheImageRendersAgainFromItsPng() throws Exception {
        Path a = circle(cascade, "a");
        Map<String, String> chunks = PngMetadata.read(a);
        assertTrue(chunks.get("parameters").contains("Draft strength: 0.6"), chunks.get("parameters"));
        assertTrue(chunks.get("ldm").contains("\"draft-strength\":0.6"), chunks.get("ldm"));
        rendersAgain(a, cascade, "again");
        CliRunner.Run info = CliRunner.run("info", a.toString());
        assertTrue(info.out().contains("draft strength:  0.6"), info.out());

        Path noDraft = circle(cascade, "no-draft", "--draft-strength", "1");
        assertFalse(PngMetadata.read(noDraft).get("ldm").contains("draft"));
        // its PNG, read back, says "no draft": the re-render does not take the model's default
        rendersAgain(noDraft, cascade, "no-draft-again");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(noDraft)));

        CliRunner.Run model = CliRunner.run("info", cascade.toString());
        assertEquals(0, model.code(), model.err());
        assertTrue(model.out().contains("\"draft\": {") && model.out().contains("\"size\": 8"), model.out());
    }

    @Test
    void theDraftAnchorIsStoredAndAPngWithoutOneRendersWithoutIt() throws Exception {
        Path anchored = tmp.resolve("anchored");
        TestModels.cascade(anchored, 0.6, 2); // the same weights, anchored in 2×2 blocks by default
        Path a = circle(anchored, "anchor-a");
        Map<String, String> chunks = PngMetadata.read(a);
        assertTrue(chunks.get("parameters").contains("Draft strength: 0.6, Draft anchor: 2"), chunks.get("parameters"));
        assertTrue(chunks.get("ldm").contains("\"draft-strength\":0.6,\"draft-anchor\":2"), chunks.get("ldm"));
        rendersAgain(a, cascade, "anchor-again"); // the anchor comes from the PNG, not the model
        assertTrue(CliRunner.run("info", a.toString()).out().contains("draft anchor:    2x2 latent blocks"));

        // a PNG drawn without an anchor (as every PNG before anchors was) re-renders without it
        Path b = circle(cascade, "anchor-b");
        assertFalse(PngMetadata.read(b).get("ldm").contains("anchor"));
        rendersAgain(b, anchored, "anchor-b-again");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
        // --draft-anchor 0 turns the model's anchor off
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(circle(anchored, "anchor-off", "--draft-anchor",
                "0")));
        // --draft-strength 1 (no draft) takes no default anchor either: the DiT alone, as on the plain cascade
        assertArrayEquals(Files.readAllBytes(circle(cascade, "anchor-alone", "--draft-strength", "1")),
                Files.readAllBytes(circle(anchored, "anchor-alone-too", "--draft-strength", "1")));
    }

    /** Six 16-pixel images of coloured discs on white, for measuring a colour plane. */
    private static Path discs(String name) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        java.awt.Color[] colours = {java.awt.Color.RED, java.awt.Color.ORANGE, java.awt.Color.GREEN,
            java.awt.Color.BLUE, java.awt.Color.MAGENTA, new java.awt.Color(120, 60, 20)};
        for (int i = 0; i < colours.length; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, 16, 16);
            g.setColor(colours[i]);
            g.fillOval(2 + i % 3, 3, 10, 9);
            g.dispose();
            javax.imageio.ImageIO.write(img, "png", dir.resolve("disc-" + i + ".png").toFile());
        }
        return dir;
    }

    @Test
    void aMeasuredColourPlaneLetsTheRedrawChooseTheColourAndThePngSaysSo() throws Exception {
        Path model = tmp.resolve("colour");
        TestModels.cascade(model, 0.6, 2);
        Path images = discs("discs");
        CliRunner.Run measured = CliRunner.run("vae", "colour-plane", "--model", model.toString(), "--data",
                images.toString(), "--images", "6");
        assertEquals(0, measured.code(), measured.err());
        Path json = model.resolve(ModelFolder.MANIFEST);
        byte[] first = Files.readAllBytes(json);
        dev.ldm.flow.ColourPlane plane = ModelFolder.open(model).manifest().vae().plane();
        assertEquals(2, plane.directions().length, "two directions of the tiny VAE's four channels");
        assertEquals(0, CliRunner.run("vae", "colour-plane", "--model", model.toString(), "--data", images.toString(),
                "--images", "6").code());
        assertArrayEquals(first, Files.readAllBytes(json), "seeded: the same command writes the same plane");

        Path kept = circle(model, "colour-kept");
        Path free = circle(model, "colour-free", "--draft-colour", "free");
        Map<String, String> chunks = PngMetadata.read(free);
        assertTrue(chunks.get("parameters").contains("Draft anchor: 2, Draft colour: free"), chunks.get("parameters"));
        assertTrue(chunks.get("ldm").contains("\"draft-colour\":\"free\""), chunks.get("ldm"));
        assertFalse(PngMetadata.read(kept).get("ldm").contains("colour"), "kept is the default and not written");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(kept), Files.readAllBytes(free)));
        rendersAgain(free, model, "colour-free-again");
        rendersAgain(kept, model, "colour-kept-again");
        assertArrayEquals(Files.readAllBytes(kept), Files.readAllBytes(circle(model, "colour-kept-too",
                "--draft-colour", "kept")));
        assertTrue(CliRunner.run("info", free.toString()).out().contains("draft colour:"));

        // one line and exit 2: a model without a plane, a word that is not kept or free, no anchor to free
        Path noPlane = tmp.resolve("colour-none");
        TestModels.cascade(noPlane, 0.6, 2);
        for (String[] bad : new String[][] {
            {"--model", noPlane.toString(), "--draft-colour", "free"},
            {"--model", model.toString(), "--draft-colour", "green"},
            {"--model", model.toString(), "--draft-colour", "free", "--draft-anchor", "0"}}) {
            List<String> args = new java.util.ArrayList<>(List.of("generate", "a red circle", "--steps", "2", "--out",
                    tmp.resolve("colour-refused").toString()));
            args.addAll(List.of(bad));
            CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("colour"), r.err());
        }
        assertEquals(2, CliRunner.run("vae", "colour-plane", "--model", model.toString(), "--data", images.toString(),
                "--directions", "4").code(), "four directions of four channels leave nothing to keep");
    }

    private static int[] pixels(Path png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void autoFreesTheColourOnlyWhereTheDraftMissesTheNamedHueAndIsTheModelsDefault() throws Exception {
        Path model = tmp.resolve("auto");
        TestModels.cascade(model, 0.6, 2);
        assertEquals(0, CliRunner.run("vae", "colour-plane", "--model", model.toString(), "--data",
                discs("auto-discs").toString(), "--images", "6").code());
        // no hue word: auto is kept, bit for bit
        assertArrayEquals(pixels(draw(model, "auto-plain-kept", "a circle")),
                pixels(draw(model, "auto-plain", "a circle", "--draft-colour", "auto")));
        // a hue word: the draft's own image decides; kept where it shows the hue or a neighbour on the wheel
        // (red, orange, yellow, green, blue, purple, pink, round to red), else free from 0.99
        int freed = 0;
        String freedHue = null;
        List<String> wheel = dev.ldm.image.DominantColour.HUES;
        for (String hue : wheel) {
            String prompt = "a " + hue + " circle";
            Path draft = draw(model.resolve("draft"), "auto-draft-" + hue, prompt);
            int drawn = wheel.indexOf(dev.ldm.image.DominantColour.of(javax.imageio.ImageIO.read(draft.toFile()))
                    .orElse("none"));
            int apart = Math.abs(drawn - wheel.indexOf(hue));
            boolean shows = drawn >= 0 && (apart <= 1 || apart == wheel.size() - 1);
            Path auto = draw(model, "auto-" + hue, prompt, "--draft-colour", "auto");
            Path expected = shows ? draw(model, "auto-kept-" + hue, prompt)
                    : draw(model, "auto-free-" + hue, prompt, "--draft-colour", "free", "--draft-strength", "0.99");
            assertArrayEquals(pixels(expected), pixels(auto), prompt + (shows ? ": kept" : ": freed"));
            assertTrue(PngMetadata.read(auto).get("ldm").contains("\"draft-colour\":\"auto\""));
            if (hue.equals("green")) {
                rendersAgain(auto, model, "auto-again-" + hue);
            }
            if (!shows) {
                freed++;
                freedHue = hue;
            }
        }
        assertTrue(freed >= 4, "one draft colour shows at most three of the seven hues");

        // as the model's default: taken when the request names none; a PNG without the field stays kept
        String prompt = "a " + freedHue + " circle";
        Path keptBefore = draw(model, "auto-before", prompt);
        ModelFolder f = ModelFolder.open(model);
        dev.ldm.folder.ModelManifest m = f.manifest();
        dev.ldm.folder.ModelManifest.Defaults d = m.defaults();
        new ModelFolder(model, new dev.ldm.folder.ModelManifest(m.format(), m.name(), m.textEncoder(), m.vae(), m.dit(),
                m.draft(), new dev.ldm.folder.ModelManifest.Defaults(d.size(), d.steps(), d.cfg(), d.sampler(),
                        d.shift(), d.cfgInterval(), d.draftStrength(), d.draftAnchor(), "auto"), m.provenance())).write();
        Path byDefault = draw(model, "auto-default", prompt);
        assertArrayEquals(pixels(draw(model, "auto-again", prompt, "--draft-colour", "auto")), pixels(byDefault));
        assertFalse(java.util.Arrays.equals(pixels(keptBefore), pixels(byDefault)), "a freed image is redrawn");
        assertFalse(PngMetadata.read(keptBefore).get("ldm").contains("colour"));
        rendersAgain(keptBefore, model, "auto-before-again"); // kept, as drawn, though the model now says auto
        assertEquals(0, CliRunner.run("generate", "a red circle", "--steps", "2", "--model", model.toString(),
                "--draft-anchor", "0", "--out", tmp.resolve("auto-no-anchor").toString()).code(),
                "without an anchor the model's auto does not apply");
    }

    @Test
    void theModelHashCoversTheDraftSoAPngOfTheOldDraftIsNotedAsAnotherModel() throws Exception {
        ModelFolder c = ModelFolder.open(cascade);
        assertEquals(ModelFolder.open(plain).hash(), ModelFolder.open(plain).modelHash());
        assertNotEquals(c.hash(), c.modelHash());
        Path a = tmp.resolve("hash-a");
        assertEquals(0, CliRunner.run("generate", "a red circle", "--steps", "2", "--seed", "7", "--model",
                cascade.toString(), "--out", a.toString()).code());
        assertTrue(PngMetadata.read(png(a)).get("parameters").contains("Model hash: " + c.modelHash()));

        // the same cascade with other draft weights: the DiT (and a LoRA's base) is the same, the model is not
        Path changed = tmp.resolve("changed");
        try (Stream<Path> files = Files.walk(cascade)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, changed.resolve(cascade.relativize(f).toString()));
            }
        }
        Path draftDit = changed.resolve("draft").resolve("dit");
        DiTConfig dc = DiTConfig.load(draftDit);
        Map<String, Tensor> w = new java.util.LinkedHashMap<>(DiTWeights.read(draftDit, dc));
        w.replaceAll((k, t) -> {
            float[] d = t.data().clone();
            d[0] += 0.25f;
            return new Tensor(t.shape(), d);
        });
        DiTWeights.save(dc, w, draftDit, Safetensors.DType.F32);
        ModelFolder other = ModelFolder.open(changed);
        assertEquals(c.hash(), other.hash());
        assertNotEquals(c.modelHash(), other.modelHash());
        CliRunner.Run r = CliRunner.run("generate", "--from-png", png(a).toString(), "--model", changed.toString(),
                "--out", tmp.resolve("hash-b").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("was made with 'tiny-cascade' (hash " + c.modelHash() + "); rendering with"
                + " 'tiny-cascade' (hash " + other.modelHash() + "), so the image will differ"), r.err());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(png(a)), Files.readAllBytes(png(tmp.resolve("hash-b")))));
    }

    @Test
    void aPngOfAModelOfAnotherSizeNamesThatModelWhenItsSizeIsRefused() throws Exception {
        Path small = tmp.resolve("small");
        assertEquals(0, CliRunner.run("generate", "a red circle", "--steps", "1", "--seed", "2", "--model",
                plain.toString(), "--out", small.toString()).code());
        Path png = png(small);
        String hash = dev.ldm.folder.ModelFolder.open(plain).hash();
        CliRunner.Run r = CliRunner.run("generate", "--from-png", png.toString(), "--model", cascade.toString(),
                "--out", tmp.resolve("small-again").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("ldm: error: --size 8: this model draws 16 to 20 pixels in steps of 2 (trained at 16); "
                + png.getFileName() + " was made with 'tiny' (hash " + hash + "): pass that model with --model",
                r.err().strip());
        assertFalse(Files.exists(tmp.resolve("small-again")));
    }

    @Test
    void badDraftStrengthsExitTwoInOneLine() throws Exception {
        Path out = tmp.resolve("bad");
        Path init = tmp.resolve("init");
        assertEquals(0, CliRunner.run("generate", "x", "--steps", "1", "--model", plain.toString(), "--out",
                init.toString()).code());
        String c = cascade.toString();
        Map<List<String>, String> cases = Map.of(
                List.of("--draft-strength", "0.5", "--model", plain.toString()),
                "ldm: error: --draft-strength 0.5: this model has no draft model (model.json names none)",
                List.of("--draft-strength", "0", "--model", c), "ldm: error: --draft-strength must be in (0, 1], not 0.0",
                List.of("--draft-strength", "1.5", "--model", c),
                "ldm: error: --draft-strength must be in (0, 1], not 1.5",
                List.of("--draft-strength", "0.3", "--init-image", png(init).toString(), "--model", c),
                "ldm: error: --draft-strength and --init-image exclude each other: both say where sampling starts",
                List.of("--draft-anchor", "2", "--size", "18", "--model", c),
                "ldm: error: --draft-anchor 2: the latent side 9 (18 px) is not a multiple of it",
                List.of("--draft-anchor", "2", "--draft-strength", "1", "--model", c),
                "ldm: error: --draft-anchor 2 needs a draft: a model with a draft model and a --draft-strength below 1",
                List.of("--draft-anchor", "2", "--model", plain.toString()),
                "ldm: error: --draft-anchor 2 needs a draft: a model with a draft model and a --draft-strength below 1",
                List.of("--draft-anchor", "-1", "--model", c),
                "ldm: error: --draft-anchor must be between 0 and 64, not -1");
        for (var e : cases.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("generate", "x", "--out", out.toString()));
            args.addAll(e.getKey());
            CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + " -> " + r.err());
            assertEquals(e.getValue(), r.err().strip(), args.toString());
        }
        assertFalse(Files.exists(out));
        // an init image on a cascade: img2img from it, without the draft
        CliRunner.Run r = CliRunner.run("generate", "x", "--steps", "1", "--init-image", png(init).toString(),
                "--size", "16", "--model", c, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(PngMetadata.read(png(out)).get("ldm").contains("draft"));
    }
}
