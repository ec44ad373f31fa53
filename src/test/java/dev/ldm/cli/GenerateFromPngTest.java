package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.TestModels;
import dev.ldm.image.PngWriter;
import dev.ldm.request.StoredSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm generate --from-png} and {@code ldm info} on PNGs. */
class GenerateFromPngTest {
    @TempDir
    static Path tmp;
    static Path model;
    static List<Path> originals;

    @BeforeAll
    static void renderOriginals() throws Exception {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        Path out = tmp.resolve("orig");
        CliRunner.Run r = CliRunner.run("generate", "a red circle", "--n", "3", "--seed", "4", "--sampler", "sde",
                "--cfg", "2.5", "--negative", "blue", "--steps", "2", "--model", model.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        originals = pngs(out);
        assertEquals(3, originals.size());
    }

    static List<Path> pngs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    static Path rerender(String name, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", model.toString(), "--out",
                out.toString()));
        args.addAll(List.of(extra));
        CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Path> files = pngs(out);
        assertEquals(1, files.size());
        return files.get(0);
    }

    @Test
    void reRenderingAnImageOfABatchGivesTheSameBytes() throws Exception {
        for (int i : new int[] {0, 2}) {
            Path again = rerender("again" + i, "--from-png", originals.get(i).toString());
            assertArrayEquals(Files.readAllBytes(originals.get(i)), Files.readAllBytes(again), "image " + i);
        }
    }

    @Test
    void explicitOptionsOverrideStoredOnes() throws Exception {
        Path p = rerender("override", "--from-png", originals.get(1).toString(), "--steps", "1", "a blue star");
        StoredSettings s = StoredSettings.read(p);
        assertEquals("a blue star", s.options().prompt());
        assertEquals(1, s.options().steps());
        assertEquals(5L, s.options().seed());
        assertEquals("blue", s.options().negative());
        assertEquals(2.5, s.options().cfg());
        assertEquals(3, s.batch().n());
    }

    @Test
    void anA1111OnlyPngReRendersWithMappedSettings() throws Exception {
        Path a1111 = tmp.resolve("a1111.png");
        PngWriter.write(a1111, new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), Map.of("parameters",
                "a blue star\nNegative prompt: red\nSteps: 2, Sampler: Euler a, CFG scale: 2.5, Seed: 11, "
                        + "Size: 8x8, Model hash: 0000000000, Clip skip: 2"));
        Path viaPng = rerender("a1111", "--from-png", a1111.toString());
        Path direct = rerender("direct", "a blue star", "--negative", "red", "--steps", "2", "--sampler", "euler",
                "--cfg", "2.5", "--seed", "11", "--size", "8");
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(viaPng));
    }

    @Test
    void unmappableOrMalformedSettingsExitTwoWithOneLine() throws Exception {
        Path dpm = tmp.resolve("dpm.png");
        PngWriter.write(dpm, new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), Map.of("parameters",
                "a cat\nSteps: 2, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1, Size: 8x8"));
        Path torn = tmp.resolve("torn.png");
        PngWriter.write(torn, new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), Map.of("ldm",
                "{\"request\": {\"prompt\": \"x\", \"steps\": -3, \"sampler\": \"euler\"}}"));
        Path text = Files.writeString(tmp.resolve("text.png"), "not a png");
        String m = model.toString();
        String[][] cases = {
            {"generate", "--from-png", dpm.toString(), "--model", m},
            {"generate", "--from-png", torn.toString(), "--model", m},
            {"generate", "--from-png", text.toString(), "--model", m},
            {"generate", "--from-png", tmp.resolve("missing.png").toString(), "--model", m},
        };
        for (String[] args : cases) {
            CliRunner.Run r = CliRunner.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        CliRunner.Run r = CliRunner.run(cases[0]);
        assertTrue(r.err().contains("DPM++ 2M Karras") && r.err().contains("--sampler"), r.err());
        rerender("dpm-heun", "--from-png", dpm.toString(), "--sampler", "heun");
    }

    @Test
    void reRenderingUsesTheRecordedDiTRuntimeUnlessOneIsGiven() throws Exception {
        Path djl = rerender("djl", "a red circle", "--seed", "9", "--steps", "2", "--cfg", "3", "--dit-runtime", "djl");
        CliRunner.Run info = CliRunner.run("info", djl.toString());
        assertTrue(info.out().matches("(?s).*dit runtime: +djl.*"), info.out());
        Path again = rerender("djl-again", "--from-png", djl.toString());
        assertArrayEquals(Files.readAllBytes(djl), Files.readAllBytes(again), "the same engine, the same bytes");
        Path onnx = rerender("djl-to-onnx", "--from-png", djl.toString(), "--dit-runtime", "onnx");
        info = CliRunner.run("info", onnx.toString());
        assertTrue(info.out().matches("(?s).*dit runtime: +onnx.*"), info.out());
    }

    @Test
    void infoShowsTheParsedSettings() {
        CliRunner.Run r = CliRunner.run("info", originals.get(2).toString());
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("prompt:", "a red circle", "negative prompt:", "seed:", "6", "sampler:", "sde",
                "image 2 of 3", "ldm generate --from-png", "text chunks:", "parameters:")) {
            assertTrue(r.out().contains(s), s + " missing in\n" + r.out());
        }
        r = CliRunner.run("info", originals.get(0).toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"settings\"") && r.out().contains("\"chunks\""), r.out());
        assertFalse(r.out().contains("\"problem\""), r.out());
    }
}
