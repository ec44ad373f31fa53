package dev.ldm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.util.Rng;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiTTest {
    @Test
    void outputIsExactlyZeroAtAdaLnZeroInitAndHasTheInputShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 7L);
            NDList in = TinyDiT.inputs(m, c, 3, 1);
            NDArray v = TinyDiT.forward(dit, in);
            assertEquals(in.get(0).getShape(), v.getShape());
            for (float f : v.toFloatArray()) {
                assertEquals(0f, f);
            }
        }
    }

    @Test
    void initIsSeededAndNamesFollowTheModuleTree() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            Map<String, ai.djl.ndarray.NDArray> p = new DiT(m, c, 7L).parameters();
            assertTrue(p.containsKey("blocks.1.attn.qkv.weight"));
            assertEquals(new Shape(3L * c.hidden(), c.hidden()), p.get("blocks.0.attn.qkv.weight").getShape());
            assertEquals(new Shape(6L * c.hidden(), c.hidden()),
                    p.get("blocks.0.adaLN_modulation.linear.weight").getShape());
            assertTrue(p.containsKey("final_layer.linear.bias"));
            float[] a = new DiT(m, c, 7L).parameters().get("blocks.0.mlp.fc1.weight").toFloatArray();
            float[] b = new DiT(m, c, 7L).parameters().get("blocks.0.mlp.fc1.weight").toFloatArray();
            float[] other = new DiT(m, c, 8L).parameters().get("blocks.0.mlp.fc1.weight").toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, other));
            float[] time = new DiT(m, c, 7L).parameters().get("t_embedder.fc1.weight").toFloatArray();
            double sq = 0;
            for (float f : time) {
                sq += f * f;
            }
            assertEquals(DiT.TIME_MLP_STD, Math.sqrt(sq / time.length), 0.002);
        }
    }

    @Test
    void paddedTokensDoNotChangeTheOutputButRealTokensDo() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 7L);
            TinyDiT.perturb(dit, 3);
            NDList in = TinyDiT.inputs(m, c, 3, 1);
            float[] base = TinyDiT.forward(dit, in).toFloatArray();
            NDArray mask = in.get(3);
            NDArray noise = m.create(Rng.stream(5, "pad").gaussian((int) in.get(2).size()), in.get(2).getShape())
                    .mul(50);                                               // [B, L, E]
            NDArray padMask = mask.expandDims(2);                           // [B, L, 1]
            NDArray padded = in.get(2).mul(padMask).add(noise.mul(padMask.neg().add(1)));
            float[] changedPadding = dit.forward(in.get(0), in.get(1), padded, mask, in.get(4)).toFloatArray();
            assertArrayEquals(base, changedPadding);
            NDArray real = in.get(2).mul(padMask.neg().add(1)).add(noise.mul(padMask));
            float[] changedTokens = dit.forward(in.get(0), in.get(1), real, mask, in.get(4)).toFloatArray();
            assertTrue(TinyDiT.maxAbsDiff(base, changedTokens) > 1e-3, "text tokens must matter");
        }
    }

    @Test
    void eachSampleOfABatchEqualsRunningItAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 7L);
            TinyDiT.perturb(dit, 4);
            NDList in = TinyDiT.inputs(m, c, 3, 2);
            NDArray batch = TinyDiT.forward(dit, in);
            for (int i = 0; i < 3; i++) {
                NDList one = new NDList();
                for (NDArray a : in) {
                    one.add(a.get(i + ":" + (i + 1)));
                }
                float[] alone = TinyDiT.forward(dit, one).toFloatArray();
                float[] inBatch = batch.get(i + ":" + (i + 1)).toFloatArray();
                assertTrue(TinyDiT.maxAbsDiff(alone, inBatch) < 1e-5, "sample " + i);
            }
            assertTrue(TinyDiT.maxAbsDiff(batch.get(0).toFloatArray(), batch.get(1).toFloatArray()) > 1e-3);
        }
    }

    @Test
    void wrongInputShapesAreRefusedWithTheExpectedShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiTConfig c = TinyDiT.config();
            DiT dit = new DiT(m, c, 7L);
            NDList in = TinyDiT.inputs(m, c, 2, 1);
            for (Shape wrong : new Shape[] {new Shape(2, 3, 5, 5), new Shape(2, 3, 4, 6), new Shape(2, 2, 4, 4)}) {
                NDArray x = m.zeros(wrong);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> dit.forward(x, in.get(1), in.get(2), in.get(3), in.get(4)));
                assertTrue(e.getMessage().contains("[B, 3, S, S] with S a positive multiple of 2"), e.getMessage());
            }
            NDArray shortMask = in.get(3).get(":, :3");
            assertThrows(IllegalArgumentException.class,
                    () -> dit.forward(in.get(0), in.get(1), in.get(2), shortMask, in.get(4)));
        }
    }
}
