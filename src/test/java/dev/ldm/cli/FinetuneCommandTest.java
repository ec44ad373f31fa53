package dev.ldm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ldm.TestModels;
import dev.ldm.folder.ModelFolder;
import dev.ldm.image.A1111Parameters;
import dev.ldm.image.Images;
import dev.ldm.image.PngMetadata;
import dev.ldm.image.PngWriter;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.lora.LoraConfig;
import dev.ldm.lora.LoraFile;
import dev.ldm.lora.LoraMerge;
import dev.ldm.lora.LoraNetwork;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTWeights;
import dev.ldm.util.Rng;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ldm finetune} (full and LoRA) and {@code ldm generate --lora}, in-process with 2-step settings. */
class FinetuneCommandTest {
    @TempDir
    static Path tmp;
    static ModelFolder base;
    static Path data;

    @BeforeAll
    static void makeModelAndData() throws Exception {
        base = TestModels.tiny(tmp.resolve("base"));
        data = tmp.resolve("data");
        int[] colours = {0xcc2020, 0x2040cc, 0x20aa40};
        String[] files = {"2_moon/a.png", "2_moon/b.png", "plain/red_fox.png"};
        for (int i = 0; i < files.length; i++) {
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 64; p++) {
                img.setRGB(p % 8, p / 8, p % 3 == 0 ? 0xffffff : colours[i]);
            }
            PngWriter.write(data.resolve(files[i]), img, Map.of());
        }
        Files.writeString(data.resolve("2_moon/a.txt"), "a purple moon");
    }

    static CliRunner.Run finetune(String out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("finetune", "--from", base.dir().toString(), "--data",
                data.toString(), "--out", tmp.resolve(out).toString(), "--batch", "2", "--trigger", "zxq", "--json"));
        args.addAll(List.of(extra));
        if (!args.contains("--steps")) {
            args.addAll(List.of("--steps", "2"));
        }
        return CliRunner.run(args.toArray(String[]::new));
    }

    static List<Path> generate(Path model, String out, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "zxq, a purple moon", "--steps", "2", "--seed",
                "4", "--model", model.toString(), "--out", tmp.resolve(out).toString()));
        args.addAll(List.of(extra));
        CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(tmp.resolve(out))) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void fullFineTuneWritesACompleteModelFolderAndResumes() throws Exception {
        CliRunner.Run r = finetune("full", "--sample-every", "2", "--sample-prompts", "zxq, a purple moon|a red fox");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"images\": 3") && r.out().contains("\"rows\": 5"), r.out());
        Path out = tmp.resolve("full");
        ModelFolder m = ModelFolder.open(out);
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = (Map<String, Object>) m.manifest().provenance().get("finetune");
        assertEquals(base.hash(), prov.get("base_model_hash"));
        assertEquals("zxq", prov.get("trigger"));
        assertEquals(base.manifest().defaults(), m.manifest().defaults());
        assertEquals("zxq, a purple moon\na red fox",
                PngMetadata.read(out.resolve("samples/step-0000002.png")).get("prompts"));
        for (String f : List.of("vae_encoder/model.onnx", "vae_decoder/model.onnx", "samples/step-0000002.png",
                "finetune.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertNotEquals(base.hash(), m.hash());
        generate(out, "from-full");
        r = finetune("full", "--steps", "3", "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"resumedFrom\": 2"), r.out());
    }

    static CliRunner.Run finetuneCascade(Path cascade, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("finetune", "--from", cascade.toString(), "--data",
                data.toString(), "--out", out.toString(), "--batch", "2", "--steps", "2", "--json"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void fullFineTuneOfACascadeTunesItsDraftFirstOrKeepsIt() throws Exception {
        Path cascade = tmp.resolve("cascade-base");
        TestModels.cascade(cascade, 0.6);
        String draftHash = ModelFolder.open(cascade.resolve("draft")).hash();
        Path out = tmp.resolve("cascade-full");
        CliRunner.Run r = finetuneCascade(cascade, out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("draft model first (steps 1-2), then its DiT (steps 3-4)"), r.err());
        FinetuneOutcome o = FinetuneOutcome.parse(r.out());
        assertEquals(out.resolve("draft").toString(), o.draft().output());
        assertEquals(2, o.draft().steps());
        ModelFolder m = ModelFolder.open(out);
        assertEquals("draft", m.manifest().draft());
        assertEquals(0.6, m.manifest().defaults().draftStrength());
        @SuppressWarnings("unchecked")
        Map<String, Object> draftProv = (Map<String, Object>) m.draftFolder().manifest().provenance().get("finetune");
        assertEquals(draftHash, draftProv.get("base_model_hash"), "the draft was tuned from the cascade's draft");
        assertNotEquals(draftHash, m.draftFolder().hash());
        assertEquals(TestModels.SIZE, m.draftFolder().manifest().defaults().size());
        assertNotEquals(ModelFolder.open(cascade).hash(), m.hash());
        List<Path> drawn = generate(out, "from-cascade-full");
        assertTrue(PngMetadata.read(drawn.get(0)).get("ldm").contains("\"draft-strength\":0.6"));

        Path kept = tmp.resolve("cascade-full-kept");
        r = finetuneCascade(cascade, kept, "--keep-draft");
        assertEquals(0, r.code(), r.err());
        assertEquals(null, FinetuneOutcome.parse(r.out()).draft());
        try (Stream<Path> files = Files.walk(cascade.resolve("draft"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path copy = kept.resolve("draft").resolve(cascade.resolve("draft").relativize(f).toString());
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), f.toString());
            }
        }
        assertEquals(draftHash, ModelFolder.open(kept).draftFolder().hash());
        r = finetune("keep-draft-plain", "--keep-draft");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("has no draft model"), r.err());
    }

    @Test
    void loraOfACascadeHoldsBothStagesAndEachMergesIntoItsOwn() throws Exception {
        Path cascade = tmp.resolve("cascade-lora-base");
        ModelFolder c = TestModels.cascade(cascade, 0.6);
        Path out = tmp.resolve("cascade-lora");
        CliRunner.Run r = finetuneCascade(cascade, out, "--lora", "2");
        assertEquals(0, r.code(), r.err());
        LoraFile lora = LoraFile.read(out.resolve(LoraFile.FILE));
        LoraFile draftOnly = LoraFile.read(out.resolve("draft").resolve(LoraFile.FILE));
        assertEquals(c.hash(), lora.baseHash());
        assertEquals(c.draftFolder().hash(), lora.draft().baseHash());
        assertEquals(draftOnly.modules(), lora.draft().modules());
        draftOnly.tensors().forEach((k, v) -> assertEquals(v, lora.draft().tensors().get(k), k));
        generate(cascade, "from-cascade-lora", "--lora", out.toString());
        r = finetuneCascade(cascade, tmp.resolve("cascade-lora-kept"), "--lora", "2", "--keep-draft");
        assertEquals(0, r.code(), r.err());
        assertEquals(null, LoraFile.read(tmp.resolve("cascade-lora-kept").resolve(LoraFile.FILE)).draft());

        // each part merges into its own stage: a copy with both merged draws what applying the file draws
        LoraFile both = randomLora(c).withDraft(randomLora(c.draftFolder()));
        Path file = tmp.resolve("random-cascade.safetensors");
        both.write(file);
        Path merged = copy(cascade, tmp.resolve("cascade-merged"));
        try (NDManager nd = NDManager.newBaseManager()) {
            for (var stage : List.of(Map.entry("dit", both), Map.entry("draft/dit", both.draft()))) {
                DiT dit = DiTWeights.load(nd, merged.resolve(stage.getKey()));
                LoraMerge.merge(dit, stage.getValue(), 0.8, file.toString());
                DiTWeights.save(dit, merged.resolve(stage.getKey()), Safetensors.DType.F32);
            }
        }
        float[] a = pixels(generate(merged, "cascade-merged-out").get(0));
        float[] b = pixels(generate(cascade, "cascade-applied-out", "--lora", file + ":0.8").get(0));
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff <= 2.0 / 255 + 1e-6, "merged vs applied differ by " + diff);
        // the cascade's draft stage is the draft model with the file's draft adapters, bit for bit
        Path draftPart = tmp.resolve("random-draft-part.safetensors");
        both.draft().write(draftPart);
        dev.ldm.generate.GenerateRequest req = new dev.ldm.generate.GenerateRequest("a red circle", "", 2, 3.0, 4, 1,
                TestModels.SIZE, "euler", 1.0);
        try (var g = dev.ldm.generate.Generator.open(c, dev.ldm.onnx.Device.CPU,
                        List.of(new dev.ldm.lora.LoraRef(file, 0.8)));
                var alone = dev.ldm.generate.Generator.open(c.draftFolder(), dev.ldm.onnx.Device.CPU,
                        List.of(new dev.ldm.lora.LoraRef(draftPart, 0.8)));
                var plain = dev.ldm.generate.Generator.open(c.draftFolder(), dev.ldm.onnx.Device.CPU)) {
            int[] inCascade = rgb(g.draft().generate(req, dev.ldm.flow.StepListener.NONE, null).get(0).image());
            assertArrayEquals(rgb(alone.generate(req, dev.ldm.flow.StepListener.NONE, null).get(0).image()), inCascade);
            assertFalse(java.util.Arrays.equals(rgb(plain.generate(req, dev.ldm.flow.StepListener.NONE, null).get(0)
                    .image()), inCascade), "the draft's adapters change the draft's image");
        }
        // the draft's adapters need the draft they were made for
        Path otherDraft = copy(cascade, tmp.resolve("cascade-other-draft"));
        Files.copy(merged.resolve("draft/dit/model.safetensors"), otherDraft.resolve("draft/dit/model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        r = CliRunner.run("generate", "x", "--model", otherDraft.toString(), "--lora", file.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("draft adapters were trained on a draft model with hash "
                + c.draftFolder().hash()), r.err());
    }

    /** The parts of finetune --json that these tests read. */
    record FinetuneOutcome(String output, long steps, FinetuneOutcome draft) {
        static FinetuneOutcome parse(String json) {
            return new com.google.gson.Gson().fromJson(json, FinetuneOutcome.class);
        }
    }

    @Test
    void loraFineTuneWritesASmallFileThatGenerateApplies() throws Exception {
        Path cache = tmp.resolve("shared-cache");
        CliRunner.Run r = finetune("lora", "--lora", "2", "--lora-alpha", "4", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        LoraFile lora = LoraFile.read(tmp.resolve("lora").resolve(LoraFile.FILE));
        assertEquals(new LoraConfig(2, 4.0, LoraConfig.ATTENTION), lora.config());
        assertEquals(base.hash(), lora.baseHash());
        assertEquals("zxq", lora.info().get("trigger"));
        assertEquals(2 * LoraConfig.ATTENTION.size(), lora.modules().size()); // tiny has 2 blocks
        List<Path> cached = files(cache);
        assertEquals(1, cached.size());
        long mtime = Files.getLastModifiedTime(cached.get(0)).toMillis();
        r = finetune("lora-again", "--lora", "2", "--lora-mlp", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(cached, files(cache), "the cache was reused");
        assertEquals(mtime, Files.getLastModifiedTime(cached.get(0)).toMillis());
        Path png = generate(base.dir(), "with-lora", "--lora", tmp.resolve("lora") + ":0.5").get(0);
        A1111Parameters p = A1111Parameters.parse(PngMetadata.read(png).get("parameters"));
        assertNotEquals(base.hash(), p.modelHash());
        assertTrue(p.model().contains("+lora@0.5"), p.model());
        // batch --lora renders the same pixels and records the same model as generate --lora
        Path prompts = tmp.resolve("lora-prompts.txt");
        Files.writeString(prompts, "zxq, a purple moon --seed 4 --steps 2\n");
        r = CliRunner.run("batch", prompts.toString(), "--model", base.dir().toString(), "--out",
                tmp.resolve("batch-lora").toString(), "--lora", tmp.resolve("lora") + ":0.5");
        assertEquals(0, r.code(), r.err());
        List<Path> batchPngs;
        try (Stream<Path> st = Files.list(tmp.resolve("batch-lora"))) {
            batchPngs = st.filter(x -> x.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(1, batchPngs.size());
        assertArrayEquals(pixels(png), pixels(batchPngs.get(0)), 0f);
        A1111Parameters q = A1111Parameters.parse(PngMetadata.read(batchPngs.get(0)).get("parameters"));
        assertEquals(p.modelHash(), q.modelHash());
    }

    @Test
    void mergedWeightsRenderTheImagesOfTheAppliedLora() throws Exception {
        LoraFile lora = randomLora(base);
        Path file = tmp.resolve("random.safetensors");
        lora.write(file);
        Path merged = copy(base.dir(), tmp.resolve("merged"));
        try (NDManager nd = NDManager.newBaseManager()) {
            DiT dit = DiTWeights.load(nd, merged.resolve("dit"));
            LoraMerge.merge(dit, lora, 0.8, file.toString());
            DiTWeights.save(dit, merged.resolve("dit"), Safetensors.DType.F32);
        }
        float[] a = pixels(generate(merged, "merged-out").get(0));
        float[] b = pixels(generate(base.dir(), "applied-out", "--lora", file + ":0.8").get(0));
        float[] plain = pixels(generate(base.dir(), "plain-out").get(0));
        float[] zero = pixels(generate(base.dir(), "zero-out", "--lora", file + ":0").get(0));
        double diff = 0;
        double effect = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            effect = Math.max(effect, Math.abs(a[i] - plain[i]));
        }
        assertTrue(diff <= 2.0 / 255 + 1e-6, "merged vs applied differ by " + diff); // [-1, 1]: 1/255 of the range
        assertTrue(effect > 0.05, "the LoRA changes the image (" + effect + ")");
        assertEquals(java.util.Arrays.toString(plain), java.util.Arrays.toString(zero), "weight 0 is the base model");
    }

    @Test
    void badFinetuneAndLoraUsageExitsTwoWithOneLine() throws Exception {
        LoraFile other = new LoraFile(randomLora(base).config(), randomLora(base).tensors(), "0000000000", Map.of());
        Path otherFile = tmp.resolve("other-base.safetensors");
        other.write(otherFile);
        String m = base.dir().toString();
        String[][] cases = {
            {"finetune", "--from", m, "--data", data.toString(), "--out", m},
            {"finetune", "--from", m, "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--lora", "0"},
            {"finetune", "--from", m, "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--lora-mlp"},
            {"finetune", "--from", m, "--data", tmp.resolve("nope").toString(), "--out", tmp.resolve("x").toString()},
            {"finetune", "--from", tmp.resolve("nope").toString(), "--data", data.toString(), "--out", "x"},
            {"generate", "x", "--model", m, "--lora", tmp.resolve("missing.safetensors").toString()},
            {"generate", "x", "--model", m, "--lora", otherFile.toString()},
            {"generate", "x", "--model", m, "--lora", otherFile + ":NaN"},
        };
        for (String[] args : cases) {
            CliRunner.Run r = CliRunner.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    /** A LoRA for the tiny model with random A and B, so that it visibly changes the output. */
    static LoraFile randomLora(ModelFolder model) {
        LoraConfig config = LoraConfig.of(2, null, true);
        Rng rng = new Rng(6);
        Map<String, Tensor> t = new LinkedHashMap<>();
        try (NDManager nd = NDManager.newBaseManager()) {
            DiT dit = DiTWeights.load(nd, model.ditDir());
            LoraNetwork.targets(dit, config).forEach((name, layer) -> {
                long[] w = layer.weight().getShape().getShape();
                t.put(name + LoraNetwork.A_SUFFIX, new Tensor(new long[] {2, w[1]}, rng.gaussian((int) (2 * w[1]))));
                t.put(name + LoraNetwork.B_SUFFIX, new Tensor(new long[] {w[0], 2}, rng.gaussian((int) (2 * w[0]))));
            });
        }
        return new LoraFile(config, t, model.hash(), Map.of());
    }

    static int[] rgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static float[] pixels(Path png) {
        return Images.toTensor(Images.read(png), TestModels.SIZE).data();
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        return to;
    }
}
