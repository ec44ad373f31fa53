package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.ldm.io.Safetensors;
import dev.ldm.io.Tensor;
import dev.ldm.judge.Classifier;
import dev.ldm.judge.ClassifierConfig;
import dev.ldm.judge.ClassifierTrainConfig;
import dev.ldm.judge.ClassifierTrainer;
import dev.ldm.lora.LoraConfig;
import dev.ldm.lora.LoraNetwork;
import dev.ldm.model.DiTConfig;
import dev.ldm.util.Rng;
import dev.ldm.vae.VaeConfig;
import dev.ldm.vae.VaeInfo;
import dev.ldm.vae.VaeTrainConfig;
import dev.ldm.vae.VaeTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With one seed, every kind of training ldm does gives the same bits twice: every step's loss and
 * every final weight. The autoencoder runs the README's f4 settings at batch 16 (the shapes whose
 * convolution gradients oneDNN got wrong, nondeterministically, on AVX-512 machines).
 */
class TrainingDeterminismTest {
    @TempDir
    Path tmp;

    /** The loss of every step (as bits) and the final weights of one run. */
    record Run(List<Long> losses, Map<String, Tensor> weights) {}

    private static void assertSameBits(Function<Integer, Run> training) {
        dirtyFreedMemory(1f);
        Run a = training.apply(1);
        dirtyFreedMemory(-7.5e3f);
        Run b = training.apply(2);
        assertTrue(a.losses().size() >= 4, "steps recorded: " + a.losses().size());
        for (long bits : a.losses()) {
            assertTrue(Double.isFinite(Double.longBitsToDouble(bits)));
        }
        assertEquals(a.losses(), b.losses(), "losses of two runs with one seed");
        assertEquals(a.weights().keySet(), b.weights().keySet());
        a.weights().forEach((k, v) -> assertArrayEquals(bits(v), bits(b.weights().get(k)), k));
    }

    /**
     * Leaves freed native memory holding {@code value}, differently before each run, so that a
     * kernel that reads memory it never wrote cannot give the same result twice by luck.
     */
    private static void dirtyFreedMemory(float value) {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k = 0; k < 64; k++) {
                m.full(new ai.djl.ndarray.types.Shape(1L << (8 + k % 12)), value).close();
            }
        }
    }

    private static int[] bits(Tensor t) {
        int[] out = new int[t.data().length];
        Arrays.setAll(out, i -> Float.floatToRawIntBits(t.data()[i]));
        return out;
    }

    /** Smooth random RGB images in [-1, 1]. */
    private static List<Tensor> images(long seed, int count, int side) {
        Rng rng = new Rng(seed);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] f = {rng.nextDouble() * 0.6, rng.nextDouble() * 0.6, rng.nextDouble() * 6, rng.nextDouble() * 6};
            float[] px = new float[3 * side * side];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        px[(c * side + y) * side + x] = (float) Math.sin(f[0] * x + f[1] * y + f[2] + c * f[3]);
                    }
                }
            }
            out.add(new Tensor(new long[] {3, side, side}, px));
        }
        return out;
    }

    @Test
    void autoencoderTrainingRepeatsBitForBit() {
        List<Tensor> train = images(1, 48, 16);
        List<Tensor> heldOut = images(2, 8, 16);
        VaeTrainConfig config = new VaeTrainConfig(8, 16, 1e-3, 2, 1e-6, "l1", 0.0, 1.0, 0, 100, 0, 0);
        assertSameBits(run -> {
            List<Long> losses = new ArrayList<>();
            Path out = tmp.resolve("vae-" + run);
            new VaeTrainer(VaeConfig.preset("f4"), config).train(train, heldOut, out, false,
                    (step, total, loss, rate) -> losses.add(Double.doubleToRawLongBits(loss)));
            return new Run(losses, Safetensors.read(out.resolve(VaeInfo.WEIGHTS)));
        });
    }

    @Test
    void judgeTrainingRepeatsBitForBit() {
        List<Tensor> images = images(3, 24, 16);
        int[] labels = new int[images.size()];
        Arrays.setAll(labels, i -> i % 3);
        ClassifierConfig model = new ClassifierConfig(16, List.of(8, 16), 3);
        ClassifierTrainConfig config = new ClassifierTrainConfig(6, 8, 3e-3, 2, 0.0, 1, 4);
        assertSameBits(run -> {
            List<Long> losses = new ArrayList<>();
            try (NDManager m = NDManager.newBaseManager()) {
                Classifier net = new ClassifierTrainer(config).train(m, model, images, labels,
                        (step, total, loss, rate) -> losses.add(Double.doubleToRawLongBits(loss)));
                return new Run(losses, net.stateDict());
            }
        });
    }

    private static final DiTConfig DIT = new DiTConfig(4, 3, 2, 16, 2, 2, 2.0, 12, 5);

    /** 6 random latents with random text states (width 12, 5 tokens). */
    private static LatentCache cache() {
        Rng rng = new Rng(9);
        int n = 6;
        int l = DIT.textLength();
        int e = DIT.textDim();
        float[] ones = new float[n * l];
        Arrays.fill(ones, 1f);
        return new LatentCache(new Tensor(new long[] {n, 3, 4, 4}, rng.gaussian(n * 48)),
                new Tensor(new long[] {n, l, e}, rng.gaussian(n * l * e)), new Tensor(new long[] {n, l}, ones),
                new Tensor(new long[] {n, e}, rng.gaussian(n * e)), new Tensor(new long[] {1, l, e}, new float[l * e]),
                new Tensor(new long[] {1, l}, Arrays.copyOf(ones, l)), new Tensor(new long[] {1, e}, new float[e]),
                List.of("a", "b", "c", "d", "e", "f"));
    }

    private static TrainConfig ditConfig(int steps) {
        return new TrainConfig(steps, 3, 3e-3, 2, 0.01, 1.0, 0.9, 0.25, 0, "logit-normal", 5, 100, 0);
    }

    private Run dit(String name, int steps, Map<String, Tensor> base, LoraConfig lora) {
        List<Long> losses = new ArrayList<>();
        DiTTrainer trainer = new DiTTrainer(DIT, ditConfig(steps), cache(), tmp.resolve(name));
        DiTTrainer.Listener l = (step, loss, lr) -> losses.add(Double.doubleToRawLongBits(loss));
        DiTTrainer.Result r = lora == null ? trainer.run(false, base, l)
                : trainer.run(false, base, new LoraNetwork(lora, 5, "base"), l);
        return new Run(losses, r.emaWeights());
    }

    @Test
    void ditTrainingAndBothKindsOfFineTuningRepeatBitForBit() {
        assertSameBits(run -> dit("train-" + run, 6, null, null));
        Map<String, Tensor> base = dit("base", 4, null, null).weights();
        assertSameBits(run -> dit("full-" + run, 5, base, null));
        assertSameBits(run -> dit("lora-" + run, 5, base, LoraConfig.of(2, 4.0, true)));
    }
}
