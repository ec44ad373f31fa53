package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ldm.TestModels;
import dev.ldm.data.ShapesDataset;
import dev.ldm.io.Json;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm train --align}: exact resume, the model folder it writes, and what it refuses. */
class AlignTrainTest {
    @TempDir
    static Path tmp;
    static Path vae;
    static Path shapes;
    static Path judge;

    @BeforeAll
    static void makeVaeDataAndJudge() {
        vae = tmp.resolve("vae");
        TestModels.tiny(vae); // its VAE halves 8 px to 4x4 latents
        shapes = tmp.resolve("shapes");
        ShapesDataset.generate(shapes, 2, TestModels.SIZE, 0);
        judge = tmp.resolve("judge"); // 8 px, two stages: a 4x4x8 feature map
        CliRunner.Run t = CliRunner.run("eval", "classifier", "train", "--data", shapes.toString(), "--out",
                judge.toString(), "--size", "8", "--widths", "4,8", "--steps", "3", "--batch", "8");
        assertEquals(0, t.code(), t.err());
    }

    /** A train command at 8 px (tiny DiT, 2x2 patches: a 2x2 token grid) with {@code extra} options. */
    private static CliRunner.Run train(Path out, int steps, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", shapes.toString(), "--out", out.toString(),
                "--vae", vae.toString(), "--preset", "tiny", "--patch", "2", "--size", "8", "--text-length", "8",
                "--steps", Integer.toString(steps), "--batch", "4", "--warmup", "1", "--lr", "3e-3",
                "--checkpoint-every", "2", "--sample-every", "0", "--no-fp16"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static Map<String, Tensor> checkpoint(Path out) {
        return Safetensors.read(out.resolve("checkpoints/dit/checkpoint.safetensors"));
    }

    private static Path alignFile(Path out) throws java.io.IOException {
        try (Stream<Path> files = Files.list(out.resolve("cache"))) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("align-")).toList();
            assertEquals(1, found.size(), "one targets file beside the latents: " + found);
            return found.get(0);
        }
    }

    private static void assertOneLineError(CliRunner.Run r, String... words) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), w + " in " + r.err());
        }
    }

    @Test
    void resumedAlignedRunEqualsAnUninterruptedOneAndWritesThePlainModelFolder() throws Exception {
        Path whole = tmp.resolve("whole");
        Path parts = tmp.resolve("parts");
        Path plain = tmp.resolve("plain");
        CliRunner.Run r = train(whole, 4, "--align", judge.toString(), "--align-depth", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("step 4/4 loss ") && r.err().contains(" align -"), r.err());
        assertEquals(0, train(parts, 2, "--align", judge.toString(), "--align-depth", "1").code());
        alignFile(parts);
        r = train(parts, 4, "--align", judge.toString(), "--align-depth", "1", "--resume", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 2"), r.out());

        Map<String, Tensor> a = checkpoint(whole);
        Map<String, Tensor> b = checkpoint(parts);
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.containsKey("model.align.fc1.weight") && a.containsKey("opt.m.align.fc2.bias"), a.keySet()
                + " holds the projector and its moments");
        assertTrue(a.keySet().stream().noneMatch(k -> k.startsWith("ema.align.")), "the projector has no EMA");
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        }
        Map<String, Tensor> ditWhole = Safetensors.read(whole.resolve("dit/model.safetensors"));
        Map<String, Tensor> ditParts = Safetensors.read(parts.resolve("dit/model.safetensors"));
        for (String k : ditWhole.keySet()) {
            assertArrayEquals(ditWhole.get(k).data(), ditParts.get(k).data(), k);
        }

        assertEquals(0, train(plain, 2).code());
        Map<String, Tensor> ditPlain = Safetensors.read(plain.resolve("dit/model.safetensors"));
        assertEquals(ditPlain.keySet(), ditWhole.keySet(), "the projector is not exported");
        try (Stream<Path> w = Files.list(whole.resolve("dit")); Stream<Path> p = Files.list(plain.resolve("dit"))) {
            assertEquals(p.map(Path::getFileName).map(Path::toString).sorted().toList(),
                    w.map(Path::getFileName).map(Path::toString).sorted().toList());
        }
        JsonObject prov = JsonParser.parseString(Json.readText(whole.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("provenance").getAsJsonObject("align");
        assertEquals(1, prov.get("depth").getAsInt());
        assertEquals(0.5, prov.get("weight").getAsDouble());
        assertEquals(64, prov.get("judge_hash").getAsString().length());
        assertTrue(JsonParser.parseString(Json.readText(plain.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("provenance").get("align") == null);

        // resumes that change the alignment are refused in one line
        assertOneLineError(train(parts, 6, "--align", judge.toString(), "--align-depth", "1", "--align-weight", "0.25",
                "--resume"), "--align");
        assertOneLineError(train(parts, 6, "--resume"), "--align");
        assertOneLineError(train(plain, 4, "--align", judge.toString(), "--resume"), "without --align");
        // that run found its latents cached, so it decoded the images again for the judge: same targets, same bits
        Path targets = alignFile(whole);
        Map<String, Tensor> fresh = Safetensors.read(targets);
        Map<String, Tensor> again = Safetensors.read(plain.resolve("cache").resolve(targets.getFileName()));
        assertArrayEquals(new long[] {98, 16, 8}, fresh.get("tokens").shape(), "98 images, 4x4 positions, 8 features");
        assertArrayEquals(fresh.get("tokens").data(), again.get("tokens").data());
    }

    @Test
    void aJudgeWhoseMapDoesNotFitTheTokenGridIsRefused() {
        // 12 px: 6x6 latents, 2x2 patches, a 3x3 token grid; the judge's map is 4x4
        CliRunner.Run r = CliRunner.run("train", "--data", shapes.toString(), "--out", tmp.resolve("bad").toString(),
                "--vae", vae.toString(), "--preset", "tiny", "--patch", "2", "--size", "12", "--text-length", "8",
                "--steps", "1", "--align", judge.toString());
        assertOneLineError(r, "4x4", "3x3");
        assertOneLineError(train(tmp.resolve("deep"), 1, "--align", judge.toString(), "--align-depth", "3"),
                "--align-depth");
        assertOneLineError(train(tmp.resolve("no-judge"), 1, "--align-weight", "0.3"), "--align");
    }
}
