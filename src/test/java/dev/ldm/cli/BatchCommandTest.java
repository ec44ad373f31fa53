package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.batch.BatchManifest;
import dev.ldm.io.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm batch}: files, manifest, resumability after a simulated kill, errors. */
class BatchCommandTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path prompts;
    static Path full;

    static final List<String> EXPECTED = List.of("00000-a-red-circle-5.png", "00001-a-red-circle-6.png",
            "00002-a-red-circle-7.png", "00003-a-blue-star-20.png", "00004-a-blue-star-21.png",
            "00005-a-green-ring-30.png", "00006-a-black-cross-9.png");

    @BeforeAll
    static void renderOnce() throws Exception {
        model = tmp.resolve("model");
        TestModels.tiny(model);
        prompts = tmp.resolve("prompts.txt");
        Files.writeString(prompts, "\uFEFF# shapes\r\na red circle --n 3 --seed 5\r\n\r\n"
                + "a blue star --sampler sde --n 2 --seed 20 --negative \"red, green\"\r\n"
                + "a green ring --cfg 1 --seed 30\r\n"
                + "{\"prompt\": \"a black cross\", \"seed\": 9, \"sampler\": \"heun\"}\r\n");
        full = tmp.resolve("full");
        CliRunner.Run r = batch(full);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("7 images rendered"), r.out());
    }

    static CliRunner.Run batch(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("batch", prompts.toString(), "--model", model.toString(),
                "--out", out.toString(), "--steps", "2", "--batch-size", "2"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    static List<String> pngNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }

    static List<String> manifest(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(BatchManifest.FILE));
    }

    @Test
    void rendersTheExpectedFilesAndManifest() throws Exception {
        assertEquals(EXPECTED, pngNames(full));
        List<String> lines = manifest(full);
        assertEquals(EXPECTED.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals(EXPECTED.get(i), o.get("file").getAsString());
            assertEquals(i, o.get("index").getAsInt());
            assertEquals(Sha256.file(full.resolve(EXPECTED.get(i))), o.get("sha256").getAsString());
            assertEquals("tiny", o.get("model").getAsString());
            assertEquals(2, o.getAsJsonObject("request").get("steps").getAsInt());
        }
        JsonObject star = JsonParser.parseString(lines.get(4)).getAsJsonObject();
        assertEquals("red, green", star.getAsJsonObject("request").get("negative").getAsString());
        assertEquals("sde", star.getAsJsonObject("request").get("sampler").getAsString());
        assertEquals("prompts.txt:4", star.get("source").getAsString());
    }

    @Test
    void batchImagesEqualGenerateWithTheSameSettings() throws Exception {
        Path out = tmp.resolve("gen");
        CliRunner.Run r = CliRunner.run("generate", "a red circle", "--n", "2", "--seed", "5", "--steps", "2",
                "--model", model.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> names = pngNames(out);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(Files.readAllBytes(full.resolve(EXPECTED.get(i))), Files.readAllBytes(out.resolve(
                    names.get(i))));
        }
    }

    @Test
    void aRerunAfterAnInterruptionRendersOnlyWhatIsMissing() throws Exception {
        Path dir = tmp.resolve("resume");
        assertEquals(0, batch(dir).code());
        // simulate kill -9 at several moments: a PNG of a 2-image batch lost with its line, a PNG renamed
        // into place whose line was never appended, a torn last line, a temporary file left behind
        List<String> lines = new java.util.ArrayList<>(manifest(dir));
        Files.delete(dir.resolve(EXPECTED.get(1)));
        lines.remove(1);
        lines.remove(EXPECTED.indexOf("00004-a-blue-star-21.png") - 1);
        String last = lines.remove(lines.size() - 1);
        Files.writeString(dir.resolve(BatchManifest.FILE), String.join("\n", lines) + "\n"
                + last.substring(0, last.length() / 2));
        Files.writeString(dir.resolve(".00003-a-blue-star-20.png.123456.tmp"), "partial");

        CliRunner.Run r = batch(dir, "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rendered\": 3"), r.out());
        assertTrue(r.out().contains("\"skipped\": 4"), r.out());
        assertEquals(manifest(full), manifest(dir));
        assertEquals(EXPECTED, pngNames(dir));
        for (String name : EXPECTED) {
            assertArrayEquals(Files.readAllBytes(full.resolve(name)), Files.readAllBytes(dir.resolve(name)), name);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")));
        }
        r = batch(dir, "--json");
        assertTrue(r.out().contains("\"rendered\": 0"), r.out());
    }

    @Test
    void changedSettingsRenderAgainWithoutDuplicateLines() throws Exception {
        Path dir = tmp.resolve("changed");
        assertEquals(0, batch(dir).code());
        CliRunner.Run r = CliRunner.run("batch", prompts.toString(), "--model", model.toString(), "--out",
                dir.toString(), "--steps", "1", "--batch-size", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rendered\": 7"), r.out());
        List<String> lines = manifest(dir);
        assertEquals(7, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.contains("\"steps\":1")));
    }

    @Test
    void theGridShowsThisRunsImagesInPlanOrderNotTheFoldersEarlierOnes() throws Exception {
        Path dir = tmp.resolve("grid");
        assertEquals(0, batch(dir).code()); // seven images of another prompt file stay in the folder
        Path stars = tmp.resolve("stars.txt");
        Files.writeString(stars, "a blue star --seed 12 --n 2\na red circle --seed 1\n");
        Path grid = tmp.resolve("grid.png");
        CliRunner.Run r = CliRunner.run("batch", stars.toString(), "--model", model.toString(), "--out",
                dir.toString(), "--steps", "2", "--grid", grid.toString(), "--grid-columns", "2", "--grid-scale", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(10, pngNames(dir).size());
        List<java.awt.image.BufferedImage> mine = new java.util.ArrayList<>();
        for (String f : List.of("00000-a-blue-star-12.png", "00001-a-blue-star-13.png", "00002-a-red-circle-1.png")) {
            mine.add(dev.ldm.image.Images.read(dir.resolve(f)));
        }
        java.awt.image.BufferedImage expected = dev.ldm.image.ContactSheet.of(mine, 2, 2);
        java.awt.image.BufferedImage got = dev.ldm.image.Images.read(grid);
        assertEquals(expected.getWidth(), got.getWidth());
        assertEquals(expected.getHeight(), got.getHeight());
        int w = got.getWidth();
        int h = got.getHeight();
        assertArrayEquals(expected.getRGB(0, 0, w, h, null, 0, w), got.getRGB(0, 0, w, h, null, 0, w));
    }

    @Test
    void theDefaultFolderIsNamedAfterThePromptFile() {
        assertEquals(Path.of("outputs", "shapes"), BatchCommand.defaultOut(Path.of("prompts", "shapes.txt")));
        assertEquals(Path.of("outputs", "my-list"), BatchCommand.defaultOut(Path.of("My List.jsonl")));
        assertEquals(Path.of("outputs", "image"), BatchCommand.defaultOut(Path.of("..")));
    }

    @Test
    void badFilesExitTwoNamingFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "a red circle\n\n# ok so far\na blue star --sed 3\n");
        Path out = tmp.resolve("bad-out");
        CliRunner.Run r = CliRunner.run("batch", bad.toString(), "--model", model.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.txt:4: unknown option '--sed'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
        Files.writeString(bad, "a red circle --size 6\n");
        r = CliRunner.run("batch", bad.toString(), "--model", model.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.txt:1: --size 6"), r.err());
        Files.writeString(bad, "# nothing\n\n");
        assertEquals(2, CliRunner.run("batch", bad.toString(), "--model", model.toString()).code());
        assertEquals(2, CliRunner.run("batch", tmp.resolve("missing.txt").toString(), "--model", model.toString())
                .code());
    }
}
