package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DepthGrowthTest {
    /**
     * A trained (here: every weight random, nothing zero) DiT grown from 2 to 5 blocks computes the same
     * velocity bit for bit, at every time and prompt of a batch.
     */
    @Test
    void aGrownModelComputesWhatTheTrainedOneDid() {
        DiTConfig from = TinyDiT.config();
        DiTConfig to = from.withDepth(5);
        try (NDManager m = NDManager.newBaseManager()) {
            DiT trained = new DiT(m, from, 7L);
            TinyDiT.perturb(trained, 11);
            DiT grown = DiT.fromWeights(m, to, DepthGrowth.deepen(trained.stateDict(), from, to, 3L), "grown");
            NDList in = TinyDiT.inputs(m, from, 4, 5);
            assertArrayEquals(TinyDiT.forward(trained, in).toFloatArray(), TinyDiT.forward(grown, in).toFloatArray());
        }
    }

    /**
     * The new blocks are not dead weight: opening one new block's gates (its modulation) changes the
     * output. And the trained blocks keep their weights exactly.
     */
    @Test
    void newBlocksStartClosedButLive() {
        DiTConfig from = TinyDiT.config();
        DiTConfig to = from.withDepth(4);
        try (NDManager m = NDManager.newBaseManager()) {
            DiT trained = new DiT(m, from, 7L);
            TinyDiT.perturb(trained, 12);
            Map<String, Tensor> before = trained.stateDict();
            Map<String, Tensor> grown = DepthGrowth.deepen(before, from, to, 3L);
            before.forEach((k, v) -> assertArrayEquals(v.data(), grown.get(k).data(), k));
            NDList in = TinyDiT.inputs(m, from, 2, 6);
            float[] base = TinyDiT.forward(trained, in).toFloatArray();
            Map<String, Tensor> opened = new LinkedHashMap<>(grown);
            Rng rng = Rng.stream(9, "open");
            opened.replaceAll((k, v) -> k.startsWith("blocks.3.") && k.contains("modulation")
                    ? new Tensor(v.shape(), rng.gaussian(v.data().length)) : v);
            DiT open = DiT.fromWeights(m, to, opened, "opened");
            assertTrue(TinyDiT.maxAbsDiff(base, TinyDiT.forward(open, in).toFloatArray()) > 1e-3);
        }
    }

    @Test
    void growthIsSeededAndOnlyAddsBlocks() {
        DiTConfig from = TinyDiT.config();
        DiTConfig to = from.withDepth(3);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Tensor> trained = new DiT(m, from, 7L).stateDict();
            Map<String, Tensor> a = DepthGrowth.deepen(trained, from, to, 3L);
            Map<String, Tensor> b = DepthGrowth.deepen(trained, from, to, 3L);
            assertEquals(a.keySet(), b.keySet());
            a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
        }
        assertTrue(DepthGrowth.deepens(from, to));
        assertFalse(DepthGrowth.deepens(from, from), "same depth");
        assertFalse(DepthGrowth.deepens(to, from), "fewer blocks");
        assertFalse(DepthGrowth.deepens(from, to.withPatchSize(1)), "another patch");
        DiTConfig wider = new DiTConfig(from.inputSize(), from.inChannels(), from.patchSize(), from.hidden() * 2, 3,
                from.heads(), from.mlpRatio(), from.textDim(), from.textLength());
        assertFalse(DepthGrowth.deepens(from, wider), "wider");
        assertThrows(IllegalArgumentException.class, () -> DepthGrowth.deepen(Map.of(), from, wider, 1L));
    }
}
