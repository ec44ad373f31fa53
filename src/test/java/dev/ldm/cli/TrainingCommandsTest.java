package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiTWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data → vae train → train → generate, in-process, with 2-step settings. */
class TrainingCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void wholeChainRunsFromTheCommandLine() throws Exception {
        Path data = tmp.resolve("data");
        Path model = tmp.resolve("model");
        CliRunner.Run r = CliRunner.run("data", "shapes", "--out", data.toString(), "--per-pair", "1", "--size", "8");
        assertEquals(0, r.code(), r.err());
        try (var files = Files.walk(data)) { // a second phrasing per image: training draws one per sample
            for (Path txt : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                Files.writeString(txt, Files.readString(txt).strip() + "\na shape\n");
            }
        }
        r = CliRunner.run("vae", "train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--steps", "2", "--batch", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(model.resolve("vae_decoder/model.onnx")));
        r = CliRunner.run("train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", "2", "--batch", "4", "--sample-every", "2",
                "--sample-prompts", "a red circle");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(model.resolve("model.json")));
        assertTrue(Files.isRegularFile(model.resolve("samples/step-0000002.png")));
        r = CliRunner.run("train", "--data", data.toString(), "--out", model.toString(), "--preset", "tiny",
                "--size", "8", "--text-length", "8", "--steps", "3", "--batch", "4", "--resume", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 2"), r.out());
        r = CliRunner.run("generate", "a red circle", "--steps", "2", "--model", model.toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
    }

    /**
     * {@code train --init M} starts from M's DiT weights: one step at a negligible rate, with the EMA equal
     * to the weights, writes M's weights back bit for bit (fp16 both times), where a fresh start does not;
     * it takes M's autoencoder, and a run that builds another DiT is refused before anything is encoded.
     */
    @Test
    void initStartsFromAModelFoldersWeights() throws Exception {
        Path data = tmp.resolve("data");
        Path base = trainedBase(data);
        CliRunner.Run r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                tmp.resolve("warm").toString(), "--init", base.toString()}, TINY), STILL));
        assertEquals(0, r.code(), r.err());
        r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                tmp.resolve("cold").toString(), "--vae", base.toString()}, TINY), STILL));
        assertEquals(0, r.code(), r.err());
        Map<String, Tensor> before = weights(base);
        Map<String, Tensor> warm = weights(tmp.resolve("warm"));
        Map<String, Tensor> cold = weights(tmp.resolve("cold"));
        boolean coldDiffers = false;
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).data(), warm.get(k).data(), 0f, k); // 0 == -0: a zero may change sign
            coldDiffers |= !Arrays.equals(before.get(k).data(), cold.get(k).data());
        }
        assertTrue(coldDiffers, "a fresh start gave the base model's weights");
        assertTrue(Files.isRegularFile(tmp.resolve("warm/vae_decoder/model.onnx")), "the model's autoencoder");
        assertTrue(Files.readString(tmp.resolve("warm/model.json")).contains("\"init\""));
        r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                tmp.resolve("other").toString(), "--init", base.toString(), "--patch", "1"}, TINY), STILL));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--init") && r.err().lines().count() == 1, r.err());
        assertFalse(Files.exists(tmp.resolve("other/cache")), "refused before encoding");
    }

    /**
     * {@code train --init M --depth N} grows M's DiT to N blocks: after one step at a negligible rate the
     * first blocks hold M's weights and the model draws M's pixels, bit for bit; the provenance records
     * the depth grown from, and fewer blocks than M's are refused in one line.
     */
    @Test
    void initWithMoreDepthGrowsTheModelAndKeepsWhatItDraws() throws Exception {
        Path data = tmp.resolve("data");
        Path base = trainedBase(data);
        Path deep = tmp.resolve("deep");
        CliRunner.Run r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out", deep.toString(),
                "--init", base.toString(), "--depth", "3"}, TINY), STILL));
        assertEquals(0, r.code(), r.err());
        Map<String, Tensor> before = weights(base);
        Map<String, Tensor> grown = weights(deep);
        assertTrue(grown.keySet().containsAll(before.keySet()));
        assertTrue(grown.keySet().stream().anyMatch(k -> k.startsWith("blocks.2.")), grown.keySet().toString());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).data(), grown.get(k).data(), 0f, k);
        }
        String json = Files.readString(deep.resolve("model.json"));
        assertTrue(json.contains("\"depth\": 2") && json.contains("\"dit_depth\": 3"), json);
        int[][] pixels = new int[2][];
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("img" + i);
            r = CliRunner.run("generate", "a red circle", "--steps", "3", "--seed", "5", "--model",
                    (i == 0 ? base : deep).toString(), "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            try (var files = Files.list(out)) {
                pixels[i] = dev.ldm.image.ImagePixels.argb(dev.ldm.image.Images.read(files
                        .filter(f -> f.toString().endsWith(".png")).findFirst().orElseThrow()));
            }
        }
        assertArrayEquals(pixels[0], pixels[1], "the grown model draws what its base drew");
        r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                tmp.resolve("shallow").toString(), "--init", deep.toString(), "--depth", "2"}, TINY), STILL));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--depth may only add blocks") && r.err().lines().count() == 1, r.err());
        r = CliRunner.run(concat(new String[] {"train", "--data", data.toString(), "--out",
                tmp.resolve("zero").toString(), "--depth", "0"}, TINY));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--depth must be between 1 and 64"), r.err());
    }

    /**
     * {@code --keep-every} keeps checkpoints a later run can fork from: {@code --resume-from} a kept step in
     * a new folder (sharing the first run's {@code --cache}) ends with the first run's weights bit for bit;
     * a re-run of the fork continues its own checkpoint, not the kept one; and intervals that are not
     * checkpoint steps, or a checkpoint that is not there or of another DiT, are refused in one line.
     */
    @Test
    void keptCheckpointsForkARunThatEndsWhereTheRunDid() throws Exception {
        Path data = tmp.resolve("data");
        Path base = trainedBase(data);
        Path run = tmp.resolve("run");
        String[] four = {"--vae", base.toString(), "--steps", "4", "--checkpoint-every", "1"};
        CliRunner.Run r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                run.toString(), "--keep-every", "2"}, TINY), four));
        assertEquals(0, r.code(), r.err());
        Path dir = run.resolve("checkpoints/dit");
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("checkpoint.safetensors", "step-0000002.safetensors",
                    "step-0000004.safetensors"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals("2", dev.ldm.optim.Checkpoint.loadFile(dir.resolve("step-0000002.safetensors")).metadata()
                .get("step"), "the kept file is the state of its step, not the last one");
        Path fork = tmp.resolve("fork");
        String[] fromTwo = {"train", "--data", data.toString(), "--out", fork.toString(), "--resume-from",
            dir.resolve("step-0000002.safetensors").toString(), "--cache", run.resolve("cache").toString(), "--json"};
        r = CliRunner.run(concat(concat(fromTwo, TINY), four));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 2"), r.out());
        assertFalse(Files.exists(fork.resolve("cache")), "the fork read the run's cache");
        Map<String, Tensor> a = weights(run);
        Map<String, Tensor> b = weights(fork);
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        }
        r = CliRunner.run(concat(concat(fromTwo, TINY), new String[] {"--vae", base.toString(), "--steps", "5",
            "--checkpoint-every", "1"}));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 4"), "continues its own checkpoint: " + r.out());
        for (String[] bad : new String[][] {{"--keep-every", "3", "--checkpoint-every", "2"},
            {"--resume-from", tmp.resolve("none.safetensors").toString()},
            {"--resume-from", dir.toString(), "--depth", "3"}}) {
            r = CliRunner.run(concat(concat(new String[] {"train", "--data", data.toString(), "--out",
                    tmp.resolve("bad").toString(), "--vae", base.toString()}, TINY), bad));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().lines().count() == 1 && r.err().contains(bad[0]), r.err());
            assertFalse(Files.exists(tmp.resolve("bad/cache")), "refused before encoding");
        }
    }

    /** Options of a tiny DiT run, and of one step at a negligible rate with the EMA equal to the weights. */
    private static final String[] TINY = {"--preset", "tiny", "--size", "8", "--text-length", "8", "--batch", "4",
        "--sample-every", "0"};
    private static final String[] STILL = {"--steps", "1", "--lr", "1e-12", "--warmup", "0", "--ema", "0"};

    /** A shapes set in {@code data} and a tiny model trained on it for 3 steps (autoencoder too): the base. */
    private Path trainedBase(Path data) {
        Path base = tmp.resolve("base");
        assertEquals(0, CliRunner.run("data", "shapes", "--out", data.toString(), "--per-pair", "1", "--size", "8").code());
        CliRunner.Run r = CliRunner.run("vae", "train", "--data", data.toString(), "--out", base.toString(), "--preset",
                "tiny", "--size", "8", "--steps", "2", "--batch", "4");
        assertEquals(0, r.code(), r.err());
        r = CliRunner.run(concat(new String[] {"train", "--data", data.toString(), "--out", base.toString(), "--steps",
                "3"}, TINY));
        assertEquals(0, r.code(), r.err());
        return base;
    }

    private static Map<String, Tensor> weights(Path model) {
        return Safetensors.read(model.resolve("dit").resolve(DiTWeights.FILE));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void emptyOrMissingDataFolderIsBadInput() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("empty/readme.txt"), "no images");
        CliRunner.Run r = CliRunner.run("vae", "train", "--data", tmp.resolve("empty").toString(), "--out",
                tmp.resolve("m").toString(), "--preset", "tiny", "--size", "8", "--steps", "1");
        assertEquals(2, r.code(), r.err());
        r = CliRunner.run("train", "--data", tmp.resolve("missing").toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        r = CliRunner.run("train", "--data", tmp.resolve("empty").toString(), "--out", tmp.resolve("m").toString(),
                "--steps", "0");
        assertEquals(2, r.code(), r.err());
    }
}
