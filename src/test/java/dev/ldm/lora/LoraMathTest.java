package dev.ldm.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA identities: a fresh adapter is the identity, merging equals applying, files round-trip. */
class LoraMathTest {
    static final Map<String, Tensor> BASE = LoraFixtures.randomWeights(1);

    @Test
    void freshAdaptersLeaveTheOutputExactlyUnchanged() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = LoraFixtures.dit(m, BASE);
            NDList in = LoraFixtures.inputs(m);
            float[] before = LoraFixtures.forward(dit, in);
            LoraConfig config = LoraConfig.of(4, 8.0, true);
            Map<String, NDArray> params = new LoraNetwork(config, 3, "base").attach(dit, m);
            assertEquals(2 * 2 * (LoraConfig.ATTENTION.size() + LoraConfig.MLP.size()), params.size());
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                float[] v = e.getValue().toFloatArray();
                boolean isA = e.getKey().endsWith(LoraNetwork.A_SUFFIX);
                assertEquals(isA, LoraFixtures.maxAbsDiff(v, new float[v.length]) > 0, e.getKey());
            }
            assertArrayEquals(before, LoraFixtures.forward(dit, in));
        }
    }

    @Test
    void mergingGivesTheOutputOfApplying() {
        LoraConfig config = LoraConfig.of(3, 6.0, true);
        LoraFile lora = LoraFixtures.randomLora(config, "base", 7);
        double weight = 0.7;
        try (NDManager m = NDManager.newBaseManager()) {
            NDList in = LoraFixtures.inputs(m);
            float[] base = LoraFixtures.forward(LoraFixtures.dit(m, BASE), in);
            DiT applied = LoraFixtures.dit(m, BASE);
            LoraNetwork.apply(applied, lora, weight, m, "lora");
            DiT merged = LoraFixtures.dit(m, BASE);
            LoraMerge.merge(merged, lora, weight, "lora");
            float[] a = LoraFixtures.forward(applied, in);
            float[] b = LoraFixtures.forward(merged, in);
            assertTrue(LoraFixtures.maxAbsDiff(a, base) > 0.05, "the LoRA changes the output");
            assertTrue(LoraFixtures.maxAbsDiff(a, b) < 1e-5, "merged vs applied " + LoraFixtures.maxAbsDiff(a, b));
            // only the targeted weights changed, each by exactly weight·scale·B·A
            Map<String, Tensor> after = merged.stateDict();
            for (String k : BASE.keySet()) {
                String module = k.substring(0, k.lastIndexOf('.'));
                boolean target = k.endsWith(".weight") && lora.modules().contains(module);
                if (!target) {
                    assertArrayEquals(BASE.get(k).data(), after.get(k).data(), k);
                } else {
                    float[] want = hostMerge(BASE.get(k), lora.a(module), lora.b(module), weight * config.scale());
                    assertTrue(LoraFixtures.maxAbsDiff(want, after.get(k).data()) < 1e-5, k);
                }
            }
        }
    }

    /** W + c·B·A computed on the host in double, as an independent reference. */
    private static float[] hostMerge(Tensor w, Tensor a, Tensor b, double c) {
        int out = (int) w.shape()[0], in = (int) w.shape()[1], r = (int) a.shape()[0];
        float[] res = w.data().clone();
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += (double) b.data()[i * r + k] * a.data()[k * in + j];
                }
                res[i * in + j] += (float) (c * s);
            }
        }
        return res;
    }

    @Test
    void mismatchingLayersAreRefusedBeforeAnyWeightChanges() {
        LoraConfig config = LoraConfig.of(2, null, false);
        LoraFile good = LoraFixtures.randomLora(config, "base", 2);
        Map<String, Tensor> t = new LinkedHashMap<>(good.tensors());
        String last = good.modules().get(good.modules().size() - 1);
        Tensor b = t.get(last + LoraNetwork.B_SUFFIX);
        t.put(last + LoraNetwork.B_SUFFIX, new Tensor(new long[] {b.shape()[0] + 1, 2}, new float[(int) (b.shape()[0] + 1) * 2]));
        LoraFile wrongShape = new LoraFile(config, t, "base", Map.of());
        Map<String, Tensor> u = new LinkedHashMap<>(good.tensors());
        u.put("blocks.9.attn.qkv" + LoraNetwork.A_SUFFIX, good.a(good.modules().get(0)));
        u.put("blocks.9.attn.qkv" + LoraNetwork.B_SUFFIX, good.b(good.modules().get(0)));
        LoraFile unknownLayer = new LoraFile(config, u, "base", Map.of());
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = LoraFixtures.dit(m, BASE);
            for (LoraFile bad : List.of(wrongShape, unknownLayer)) {
                LdmException e = assertThrows(LdmException.class, () -> LoraMerge.merge(dit, bad, 1.0, "x.safetensors"));
                assertEquals(2, e.exitCode());
                assertTrue(e.getMessage().startsWith("x.safetensors: "), e.getMessage());
            }
            dit.stateDict().forEach((k, v) -> assertArrayEquals(BASE.get(k).data(), v.data(), k));
        }
    }

    @Test
    void fileRoundTripsAndNamesItsBase(@TempDir Path dir) throws Exception {
        LoraFile lora = LoraFixtures.randomLora(LoraConfig.of(2, 3.0, false), "0123456789", 4);
        Path file = dir.resolve("style.safetensors");
        lora.write(file);
        LoraFile back = LoraFile.read(file);
        assertEquals(lora.config(), back.config());
        assertEquals(lora.modules(), back.modules());
        assertEquals("0123456789", back.baseHash());
        assertEquals("fixture", back.info().get("base_model"));
        lora.tensors().forEach((k, v) -> assertEquals(v, back.tensors().get(k), k));
        back.requireBase("0123456789", "m");
        LdmException e = assertThrows(LdmException.class, () -> back.requireBase("ffffffffff", file.toString()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("0123456789") && e.getMessage().contains("ffffffffff"), e.getMessage());
        Files.writeString(dir.resolve("junk.safetensors"), "not a safetensors file");
        Path notLora = dir.resolve("weights.safetensors");
        dev.ldm.io.Safetensors.write(notLora, BASE, Map.of(), dev.ldm.io.Safetensors.DType.F32);
        for (Path p : List.of(dir.resolve("junk.safetensors"), notLora, dir.resolve("missing.safetensors"))) {
            assertEquals(2, assertThrows(LdmException.class, () -> LoraFile.read(p)).exitCode(), p.toString());
        }
    }

    @Test
    void aCascadeLoraRoundTripsBothStagesAndChecksEachHash(@TempDir Path dir) throws Exception {
        LoraConfig config = LoraConfig.of(2, 3.0, false);
        LoraFile own = LoraFixtures.randomLora(config, "0123456789", 4);
        LoraFile draft = LoraFixtures.randomLora(config, "abcdefabcd", 5);
        LoraFile both = own.withDraft(new LoraFile(config, draft.tensors(), draft.baseHash(), Map.of()));
        Path file = dir.resolve("cascade.safetensors");
        both.write(file);
        LoraFile back = LoraFile.read(file);
        assertEquals(own.modules(), back.modules(), "the draft's adapters are not this model's modules");
        own.tensors().forEach((k, v) -> assertEquals(v, back.tensors().get(k), k));
        assertEquals("abcdefabcd", back.draft().baseHash());
        assertEquals(config, back.draft().config());
        draft.tensors().forEach((k, v) -> assertEquals(v, back.draft().tensors().get(k), k));
        assertEquals(2 * (own.tensors().size()), dev.ldm.io.Safetensors.readAll(file).tensors().size());
        back.requireBase("0123456789", "abcdefabcd", "m");
        own.requireBase("0123456789", null, "a LoRA without draft adapters fits a model without a draft");
        for (String[] hashes : new String[][] {{"0123456789", null}, {"0123456789", "ffffffffff"},
                {"ffffffffff", "abcdefabcd"}}) {
            LdmException e = assertThrows(LdmException.class, () -> back.requireBase(hashes[0], hashes[1], "f"));
            assertEquals(2, e.exitCode());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        // draft adapters without the draft's hash, or the hash without adapters, are malformed files
        Map<String, dev.ldm.io.Tensor> prefixed = new java.util.LinkedHashMap<>(own.tensors());
        draft.tensors().forEach((k, v) -> prefixed.put(LoraFile.DRAFT_PREFIX + k, v));
        Map<String, String> meta = new java.util.LinkedHashMap<>(dev.ldm.io.Safetensors.readAll(file).metadata());
        meta.remove("draft_base_model_hash");
        Path noHash = dir.resolve("no-hash.safetensors");
        dev.ldm.io.Safetensors.write(noHash, prefixed, meta, dev.ldm.io.Safetensors.DType.F32);
        meta.put("draft_base_model_hash", "abcdefabcd");
        Path noAdapters = dir.resolve("no-adapters.safetensors");
        dev.ldm.io.Safetensors.write(noAdapters, own.tensors(), meta, dev.ldm.io.Safetensors.DType.F32);
        for (Path p : List.of(noHash, noAdapters)) {
            LdmException e = assertThrows(LdmException.class, () -> LoraFile.read(p));
            assertEquals(2, e.exitCode(), p.toString());
            assertTrue(e.getMessage().contains("draft"), e.getMessage());
        }
    }

    @Test
    void refsParseFileAndWeight(@TempDir Path dir) throws Exception {
        assertEquals(new LoraRef(Path.of("a/style.safetensors"), 0.5), LoraRef.parse("a/style.safetensors:0.5"));
        assertEquals(new LoraRef(Path.of("a/b.safetensors"), 1.0), LoraRef.parse("a/b.safetensors"));
        assertEquals(new LoraRef(Path.of("c:/x.safetensors"), -1.0), LoraRef.parse("c:/x.safetensors:-1"));
        assertEquals(dir.resolve(LoraFile.FILE), LoraRef.parse(dir.toString()).file());
        for (String bad : List.of("", "x.safetensors:NaN", "x.safetensors:Infinity")) {
            assertEquals(2, assertThrows(LdmException.class, () -> LoraRef.parse(bad)).exitCode(), bad);
        }
        assertEquals("base+style@0.5+run@1", LoraRef.modelName("base", List.of(new LoraRef(Path.of("style.safetensors"),
                0.5), new LoraRef(Path.of("run/lora.safetensors"), 1))));
    }

    @Test
    void configValidatesAndMatchesModuleNames() {
        LoraConfig c = LoraConfig.of(4, null, false);
        assertEquals(1.0, c.scale());
        assertTrue(c.matches("blocks.0.attn.qkv"));
        assertTrue(c.matches("blocks.1.cross_attn.kv"));
        assertTrue(!c.matches("blocks.0.mlp.fc1") && !c.matches("blocks.0.attn.qkvx") && !c.matches("context_proj"));
        assertTrue(LoraConfig.of(4, null, true).matches("blocks.0.mlp.fc2"));
        for (int rank : new int[] {0, -1, LoraConfig.MAX_RANK + 1}) {
            assertEquals(2, assertThrows(LdmException.class, () -> LoraConfig.of(rank, null, false)).exitCode());
        }
        assertEquals(2, assertThrows(LdmException.class, () -> LoraConfig.of(2, -1.0, false)).exitCode());
    }
}
