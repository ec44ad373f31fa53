package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.folder.ModelManifest;
import dev.ldm.image.PngMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tag-guidance} and {@code defaults.tagGuidance} from the command line: stored, re-rendered, refused. */
class TagGuidanceCommandTest {
    @TempDir
    static Path tmp;
    static Path plain;
    static Path tagged;

    @BeforeAll
    static void makeModels() {
        plain = tmp.resolve("plain");
        TestModels.tiny(plain, TestModels.SIZE, 2, 0.5f); // a DiT that reads the prompt
        tagged = tmp.resolve("tagged"); // the same weights, tag guidance 1.5 by default
        ModelManifest m = TestModels.tiny(tagged, TestModels.SIZE, 2, 0.5f).manifest();
        ModelManifest.Defaults d = m.defaults();
        new ModelFolder(tagged, new ModelManifest(m.format(), m.name(), m.textEncoder(), m.vae(), m.dit(), m.draft(),
                new ModelManifest.Defaults(d.size(), d.steps(), d.cfg(), d.sampler(), d.shift(), null, null, null, null,
                        1.5), m.provenance())).write();
    }

    private static Path png(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
    }

    /** "a red circle, blue square", 3 steps, seed 4, drawn by {@code model} into tmp/{@code name}: its PNG. */
    private static Path draw(Path model, String name, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "a red circle, blue square", "--steps", "3",
                "--seed", "4", "--model", model.toString(), "--out", tmp.resolve(name).toString()));
        args.addAll(List.of(options));
        CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return png(tmp.resolve(name));
    }

    /** Re-renders {@code png} from its settings with {@code model} into tmp/{@code name}: its bytes. */
    private static byte[] again(Path png, Path model, String name) throws Exception {
        CliRunner.Run r = CliRunner.run("generate", "--from-png", png.toString(), "--model", model.toString(), "--out",
                tmp.resolve(name).toString());
        assertEquals(0, r.code(), r.err());
        return Files.readAllBytes(png(tmp.resolve(name)));
    }

    @Test
    void tagGuidanceIsStoredAndRendersAgainAndAPngWithoutItRendersWithoutIt() throws Exception {
        Path with = draw(plain, "with", "--tag-guidance", "1.5");
        Map<String, String> chunks = PngMetadata.read(with);
        assertTrue(chunks.get("parameters").contains("Tag guidance: 1.5"), chunks.get("parameters"));
        assertTrue(chunks.get("ldm").contains("\"tag-guidance\":1.5"), chunks.get("ldm"));
        assertArrayEquals(Files.readAllBytes(with), again(with, plain, "with-again"), "the value comes from the PNG");
        assertTrue(CliRunner.run("info", with.toString()).out().contains("tag guidance:"));

        Path without = draw(plain, "without");
        assertFalse(PngMetadata.read(without).get("ldm").contains("tag-guidance"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(with), Files.readAllBytes(without)));
        // the model's default applies when the option is not given, and 0 turns it off
        assertArrayEquals(Files.readAllBytes(with), Files.readAllBytes(draw(tagged, "by-default")));
        assertArrayEquals(Files.readAllBytes(without), Files.readAllBytes(draw(tagged, "off", "--tag-guidance", "0")));
        // a PNG drawn without tag guidance (as every PNG before it) re-renders without it on a model that has it
        assertArrayEquals(Files.readAllBytes(without), again(without, tagged, "without-again"));
    }

    @Test
    void withALoraTheModelsTagGuidanceIsOffUnlessAsked() throws Exception {
        Path lora = tmp.resolve("style.safetensors");
        FinetuneCommandTest.randomLora(ModelFolder.open(tagged)).write(lora);
        Path byDefault = draw(tagged, "lora-default", "--lora", lora.toString());
        assertFalse(PngMetadata.read(byDefault).get("ldm").contains("tag-guidance"));
        assertArrayEquals(Files.readAllBytes(byDefault), Files.readAllBytes(draw(tagged, "lora-off", "--lora",
                lora.toString(), "--tag-guidance", "0")));
        Path asked = draw(tagged, "lora-asked", "--lora", lora.toString(), "--tag-guidance", "1.5");
        assertTrue(PngMetadata.read(asked).get("ldm").contains("\"tag-guidance\":1.5"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(asked), Files.readAllBytes(byDefault)));
        // a fine-tuned model's defaults: the same, for a full fine-tune's folder too
        ModelManifest.Defaults d = ModelFolder.open(tagged).manifest().defaults();
        assertEquals(1.5, d.tagGuidance());
        assertEquals(null, d.forFineTuned(true).tagGuidance());
        assertEquals(d, d.forFineTuned(false));
    }

    @Test
    void anInitImageTakesNoTagGuidanceTheModelsDefaultIsLeftOutAndAGivenOneRefused() throws Exception {
        Path init = draw(plain, "init-source");
        Path redrawn = draw(tagged, "init-tagged", "--init-image", init.toString(), "--strength", "0.6");
        assertFalse(PngMetadata.read(redrawn).get("ldm").contains("tag-guidance"));
        assertArrayEquals(Files.readAllBytes(redrawn), Files.readAllBytes(draw(plain, "init-plain", "--init-image",
                init.toString(), "--strength", "0.6")));
        CliRunner.Run r = CliRunner.run("generate", "a, b", "--steps", "1", "--model", tagged.toString(), "--out",
                tmp.resolve("init-bad").toString(), "--init-image", init.toString(), "--tag-guidance", "2");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--tag-guidance") && r.err().contains("--init-image"), r.err());
    }

    @Test
    void badTagGuidanceExitsTwoInOneLine() {
        for (String bad : new String[] {"NaN", "Infinity", "1e9", "strong"}) {
            CliRunner.Run r = CliRunner.run("generate", "a, b", "--steps", "1", "--model", plain.toString(), "--out",
                    tmp.resolve("bad").toString(), "--tag-guidance", bad);
            assertEquals(2, r.code(), bad + ": " + r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertTrue(lines.get(0).startsWith("ldm: ") && lines.get(0).contains("--tag-guidance"), r.err());
            // one error line; picocli's own parse errors add its "try 'ldm generate --help'"
            assertTrue(lines.size() == 1 || (lines.size() == 2 && lines.get(1).startsWith("try 'ldm")), r.err());
        }
    }
}
