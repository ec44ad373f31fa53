package dev.ldm.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.train.DiTTrainer;
import dev.ldm.train.LatentCache;
import dev.ldm.train.TrainConfig;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA training through {@link DiTTrainer}: frozen base, exact resume, refused mismatches. */
class LoraTrainingTest {
    static final Map<String, Tensor> BASE = LoraFixtures.randomWeights(1);
    static final LatentCache CACHE = cache();
    static final LoraConfig LORA = LoraConfig.of(2, 4.0, true);

    /** 4 random latents with random text states (width 12, 5 tokens). */
    static LatentCache cache() {
        Rng rng = new Rng(9);
        int n = 4;
        int l = LoraFixtures.CONFIG.textLength();
        int e = LoraFixtures.CONFIG.textDim();
        float[] ones = new float[n * l];
        Arrays.fill(ones, 1f);
        return new LatentCache(new Tensor(new long[] {n, 3, 4, 4}, rng.gaussian(n * 48)),
                new Tensor(new long[] {n, l, e}, rng.gaussian(n * l * e)), new Tensor(new long[] {n, l}, ones),
                new Tensor(new long[] {n, e}, rng.gaussian(n * e)), new Tensor(new long[] {1, l, e}, new float[l * e]),
                new Tensor(new long[] {1, l}, Arrays.copyOf(ones, l)), new Tensor(new long[] {1, e}, new float[e]),
                List.of("a", "b", "c", "d"));
    }

    static TrainConfig config(int steps) {
        return new TrainConfig(steps, 2, 1e-2, 2, 0.01, 1.0, 0.5, 0.25, 0, "logit-normal", 5, 3, 0);
    }

    @Test
    void onlyTheAdaptersChangeAndTheBaseStaysBitIdentical(@TempDir Path dir) {
        List<Map<String, Tensor>> seen = new ArrayList<>();
        DiT[] captured = new DiT[1];
        LoraNetwork lora = new LoraNetwork(LORA, 5, "base");
        DiTTrainer.Trainable spy = new DiTTrainer.Trainable() {
            @Override
            public Map<String, NDArray> attach(DiT dit, NDManager m) {
                captured[0] = dit;
                return lora.attach(dit, m);
            }

            @Override
            public String describe() {
                return lora.describe();
            }
        };
        int steps = 4;
        DiTTrainer.Result r = new DiTTrainer(LoraFixtures.CONFIG, config(steps), CACHE, dir).run(false, BASE, spy,
                (step, loss, lr) -> {
                    if (step == steps) {
                        seen.add(captured[0].stateDict());
                    }
                });
        assertEquals(1, seen.size());
        seen.get(0).forEach((k, v) -> assertArrayEquals(BASE.get(k).data(), v.data(), k));
        assertEquals(r.weights().keySet(), r.emaWeights().keySet());
        assertTrue(r.weights().keySet().stream().allMatch(k -> k.contains(".lora_")), r.weights().keySet().toString());
        // every B moved away from zero: the adapters were trained
        r.weights().forEach((k, v) -> {
            if (k.endsWith(LoraNetwork.B_SUFFIX)) {
                assertTrue(LoraFixtures.maxAbsDiff(v.data(), new float[v.data().length]) > 0, k);
            }
        });
    }

    @Test
    void resumedLoraTrainingEndsWithTheSameAdapters(@TempDir Path a, @TempDir Path b) {
        DiTTrainer.Listener quiet = (step, loss, lr) -> { };
        DiTTrainer.Result full = new DiTTrainer(LoraFixtures.CONFIG, config(6), CACHE, a)
                .run(false, BASE, new LoraNetwork(LORA, 5, "base"), quiet);
        new DiTTrainer(LoraFixtures.CONFIG, config(3), CACHE, b).run(false, BASE, new LoraNetwork(LORA, 5, "base"), quiet);
        DiTTrainer.Result resumed = new DiTTrainer(LoraFixtures.CONFIG, config(6), CACHE, b)
                .run(true, BASE, new LoraNetwork(LORA, 5, "base"), quiet);
        assertEquals(3, resumed.startStep());
        assertEquals(full.weights().keySet(), resumed.weights().keySet());
        for (String k : full.weights().keySet()) {
            assertArrayEquals(full.weights().get(k).data(), resumed.weights().get(k).data(), k);
            assertArrayEquals(full.emaWeights().get(k).data(), resumed.emaWeights().get(k).data(), "ema " + k);
        }
        assertFalse(Arrays.equals(full.weights().values().iterator().next().data(),
                new DiTTrainer(LoraFixtures.CONFIG, config(3), CACHE, a.resolve("other"))
                        .run(false, BASE, new LoraNetwork(LORA, 5, "base"), quiet).weights().values().iterator().next().data()),
                "3 steps differ from 6");
    }

    @Test
    void resumingAnotherLoraOrFullTrainingIsRefused(@TempDir Path dir) {
        DiTTrainer.Listener quiet = (step, loss, lr) -> { };
        new DiTTrainer(LoraFixtures.CONFIG, config(2), CACHE, dir).run(false, BASE, new LoraNetwork(LORA, 5, "base"), quiet);
        List<DiTTrainer.Trainable> others = List.of(new LoraNetwork(LoraConfig.of(3, 4.0, true), 5, "base"),
                new LoraNetwork(LORA, 5, "other-base"), DiTTrainer.Trainable.full());
        for (DiTTrainer.Trainable other : others) {
            LdmException e = assertThrows(LdmException.class,
                    () -> new DiTTrainer(LoraFixtures.CONFIG, config(4), CACHE, dir).run(true, BASE, other, quiet));
            assertEquals(2, e.exitCode(), e.getMessage());
        }
    }
}
