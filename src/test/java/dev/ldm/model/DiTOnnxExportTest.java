package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ldm's ONNX export of the DiT, run by ONNX Runtime, computes what {@link DiT#forward} computes. */
class DiTOnnxExportTest {
    /** Max |DJL − ONNX Runtime| on outputs of order 1 (float32 sums in another order). */
    private static final double TOLERANCE = 1e-4;

    static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A tiny DiT whose every weight is non-zero (so that no part of the graph can hide). */
    private static DiT model(DiTConfig c, long seed) {
        DiT dit = new DiT(manager, c, seed);
        TinyDiT.perturb(dit, seed);
        return dit;
    }

    private static Tensor[] host(NDList in) {
        Tensor[] out = new Tensor[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Nd.toTensor(in.get(i));
        }
        return out;
    }

    private static void assertAgrees(DiT dit, OnnxDiT onnx, NDList in) {
        float[] djl = TinyDiT.forward(dit, in).toFloatArray();
        Tensor[] h = host(in);
        Tensor ort = onnx.forward(h[0], h[1], h[2], h[3], h[4]);
        assertArrayEquals(h[0].shape(), ort.shape());
        double diff = TinyDiT.maxAbsDiff(djl, ort.data());
        double scale = TinyDiT.maxAbsDiff(djl, new float[djl.length]);
        assertTrue(scale > 0.1, "the output is too small to test anything: " + scale);
        assertTrue(diff <= TOLERANCE, "max |DJL - ONNX| = " + diff + " on outputs up to " + scale);
    }

    @Test
    void agreesWithDjlAtBatchOneAndThreeWithPaddedText() {
        DiTConfig c = TinyDiT.config();                                        // patch 2
        DiT dit = model(c, 11);
        try (OnnxDiT onnx = OnnxDiT.open(dit, Device.CPU)) {
            NDList three = TinyDiT.inputs(manager, c, 3, 5);                   // rows 1 and 2 hide 1 and 2 tokens
            assertEquals(0f, three.get(3).get(2).toFloatArray()[c.textLength() - 1]);
            assertAgrees(dit, onnx, three);
            NDList one = new NDList();
            for (NDArray a : three) {
                one.add(a.get("2:3"));                                         // the row with 2 padding tokens
            }
            assertAgrees(dit, onnx, one);
        }
    }

    @Test
    void agreesWithDjlAtPatchOneLikeTheShippedModel() {
        DiTConfig c = DiTConfig.preset("tiny/1", 4, 4, TinyDiT.TEXT_DIM, TinyDiT.TEXT_LENGTH);
        DiT dit = model(c, 12);
        try (OnnxDiT onnx = OnnxDiT.open(dit, Device.CPU)) {
            assertAgrees(dit, onnx, TinyDiT.inputs(manager, c, 3, 6));
        }
    }

    @Test
    void paddedTokensDoNotReachTheOutputAndRunsRepeatExactly() {
        DiTConfig c = TinyDiT.config();
        DiT dit = model(c, 13);
        try (OnnxDiT onnx = OnnxDiT.open(dit, Device.CPU)) {
            Tensor[] h = host(TinyDiT.inputs(manager, c, 3, 7));
            float[] base = onnx.forward(h[0], h[1], h[2], h[3], h[4]).data();
            assertArrayEquals(base, onnx.forward(h[0], h[1], h[2], h[3], h[4]).data()); // bit for bit
            float[] text = h[2].data().clone();
            int l = c.textLength(), e = c.textDim();
            Arrays.fill(text, (2 * l + l - 1) * e, 3 * l * e, 100f);           // row 2's two padding tokens
            float[] padded = onnx.forward(h[0], h[1], new Tensor(h[2].shape(), text), h[3], h[4]).data();
            assertArrayEquals(base, padded);
            Arrays.fill(text, 2 * l * e, (2 * l + 1) * e, 100f);               // row 2's first real token
            float[] real = onnx.forward(h[0], h[1], new Tensor(h[2].shape(), text), h[3], h[4]).data();
            assertFalse(Arrays.equals(base, real));
        }
    }

    @Test
    void initializersCarryTheSafetensorsNamesAndAdaptersAreRefused() {
        DiT dit = model(TinyDiT.config(), 14);
        String text = new String(DiTOnnxExport.toBytes(dit), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("blocks.1.cross_attn.kv.weight"));
        assertTrue(text.contains("blocks.0.norm_cross.bias"));
        dev.ldm.nn.Linear qkv = (dev.ldm.nn.Linear) dit.modules().get("blocks.0.attn.qkv");
        qkv.setAdapter(w -> w);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DiTOnnxExport.graph(dit));
        assertTrue(e.getMessage().contains("blocks.0.attn.qkv"), e.getMessage());
    }

    @Test
    void aSavedFolderOpensWithoutDjlAndComputesTheSame(@TempDir Path dir) {
        DiTConfig c = TinyDiT.config();
        DiT dit = model(c, 16);
        DiTWeights.save(dit, dir, Safetensors.DType.F32);
        Tensor[] h = host(TinyDiT.inputs(manager, c, 2, 9));
        try (OnnxDiT live = OnnxDiT.open(dit, Device.CPU); OnnxDiT file = OnnxDiT.open(dir, c, Device.CPU)) {
            assertArrayEquals(live.forward(h[0], h[1], h[2], h[3], h[4]).data(),
                    file.forward(h[0], h[1], h[2], h[3], h[4]).data());
        }
    }

    /**
     * Another image size: the same weights on a finer or coarser patch grid, the position embedding
     * interpolated from the trained one. DJL and the ONNX graph for that side agree, a graph from the
     * file is the live model's, the trained side's graph refuses other latents, and a side that is
     * no multiple of the patch is refused.
     */
    @Test
    void otherLatentSidesAgreeWithDjlAndOpenFromTheFile(@TempDir Path dir) {
        DiTConfig c = TinyDiT.config();                                        // 4×4 latent, patch 2: grid 2
        DiT dit = model(c, 18);
        DiTWeights.save(dit, dir, Safetensors.DType.F32);
        for (int side : new int[] {2, 6, 8}) {
            DiTConfig at = c.withInputSize(side);
            NDList in = TinyDiT.inputs(manager, at, 2, 30 + side);
            Tensor[] h = host(in);
            try (OnnxDiT live = OnnxDiT.open(dit, side, Device.CPU);
                    OnnxDiT file = OnnxDiT.open(dir, c, side, Device.CPU)) {
                assertEquals(side, live.side());
                assertEquals(c, live.config());
                assertAgrees(dit, live, in);
                assertArrayEquals(live.forward(h[0], h[1], h[2], h[3], h[4]).data(),
                        file.forward(h[0], h[1], h[2], h[3], h[4]).data());
            }
        }
        try (OnnxDiT own = OnnxDiT.open(dit, Device.CPU)) {
            Tensor[] h = host(TinyDiT.inputs(manager, c.withInputSize(6), 1, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> own.forward(h[0], h[1], h[2], h[3], h[4]));
            assertTrue(e.getMessage().contains("x must be [1, 3, 4, 4]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DiTOnnxExport.graph(dit, 5));
    }

    @Test
    void hostWeightsAreRefusedLikeLoadStateDictRefusesThem() {
        DiTConfig c = TinyDiT.config();
        Map<String, Tensor> good = model(c, 17).stateDict();
        Map<String, Tensor> missing = new LinkedHashMap<>(good);
        missing.remove("blocks.1.mlp.fc2.bias");
        Map<String, Tensor> extra = new LinkedHashMap<>(good);
        extra.put("blocks.2.mlp.fc2.bias", good.get("blocks.1.mlp.fc2.bias"));
        Map<String, Tensor> misshaped = new LinkedHashMap<>(good);
        Tensor w = good.get("blocks.0.attn.qkv.weight");
        misshaped.put("blocks.0.attn.qkv.weight", new Tensor(new long[] {w.shape()[1], w.shape()[0]}, w.data()));
        for (Map<String, Tensor> bad : List.of(missing, extra, misshaped)) {
            LdmException e = assertThrows(LdmException.class, () -> DiTOnnxExport.graph(c, bad, "w.safetensors"));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().startsWith("w.safetensors: ") && e.getMessage().contains("blocks."),
                    e.getMessage());
        }
        assertTrue(DiTOnnxExport.graph(c, good, "w.safetensors").nodeCount() > 100);
    }

    @Test
    void wrongShapesAreRefusedNamingTheInput() {
        DiTConfig c = TinyDiT.config();
        try (OnnxDiT onnx = OnnxDiT.open(model(c, 15), Device.CPU)) {
            Tensor[] h = host(TinyDiT.inputs(manager, c, 2, 8));
            Tensor shortMask = new Tensor(new long[] {2, c.textLength() - 1}, new float[2 * (c.textLength() - 1)]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> onnx.forward(h[0], h[1], h[2], shortMask, h[4]));
            assertTrue(e.getMessage().contains("mask"), e.getMessage());
        }
    }
}
