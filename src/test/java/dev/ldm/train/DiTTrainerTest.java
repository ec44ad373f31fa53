package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.LdmException;
import dev.ldm.flow.EulerSampler;
import dev.ldm.flow.Schedule;
import dev.ldm.flow.StepListener;
import dev.ldm.flow.VelocityField;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEmbedding;
import dev.ldm.text.TextEncoder;
import dev.ldm.text.TextEncoderConfig;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiTTrainerTest {
    static final List<String> CAPTIONS = List.of("a red circle", "a blue square", "a green star", "a black heart");
    static final int C = 4;
    static final int SIDE = 4;
    static LatentCache cache;

    @BeforeAll
    static void encode() {
        // four distinct latent "images": each a different smooth pattern
        float[] lat = new float[4 * C * SIDE * SIDE];
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        lat[((i * C + c) * SIDE + y) * SIDE + x] =
                                (float) Math.sin(0.9 * (i + 1) * x + 0.7 * c - 0.5 * i * y) * 1.2f;
                    }
                }
            }
        }
        try (TextEncoder text = TextEncoder.open(TextEncoderConfig.builtin(8), Path.of("."), Device.CPU)) {
            TextEmbedding e = text.encode(CAPTIONS);
            TextEmbedding empty = text.encode(List.of(""));
            cache = new LatentCache(new Tensor(new long[] {4, C, SIDE, SIDE}, lat), e.states(), e.mask(), e.pooled(),
                    empty.states(), empty.mask(), empty.pooled(), CAPTIONS);
        }
    }

    static DiTConfig tiny() {
        return DiTConfig.preset("tiny", SIDE, C, 384, 8).withPatchSize(2);
    }

    static TrainConfig config(int steps, double dropout, double ema) {
        return new TrainConfig(steps, 4, 3e-3, 5, 0, 1.0, ema, dropout, 0, "logit-normal", 11, steps > 10 ? 1000 : 3, 0);
    }

    @Test
    void resumeAfterInterruptionEndsWithTheSameWeights(@TempDir Path a, @TempDir Path b) {
        var listener = (DiTTrainer.Listener) (step, loss, lr) -> { };
        DiTTrainer.Result full = new DiTTrainer(tiny(), config(6, 0.1, 0.9), cache, a).run(false, null, listener);
        new DiTTrainer(tiny(), config(3, 0.1, 0.9), cache, b).run(false, null, listener);
        DiTTrainer.Result resumed = new DiTTrainer(tiny(), config(6, 0.1, 0.9), cache, b).run(true, null, listener);
        assertEquals(3, resumed.startStep());
        for (String k : full.weights().keySet()) {
            assertArrayEquals(full.weights().get(k).data(), resumed.weights().get(k).data(), k);
            assertArrayEquals(full.emaWeights().get(k).data(), resumed.emaWeights().get(k).data(), "ema " + k);
        }
    }

    /**
     * A cool-down added when a constant-rate run is resumed with more steps gives the weights of a run
     * that had it from the start (the rate before the cool-down does not depend on the run's length), and
     * it changes them: the rate really falls.
     */
    @Test
    void coolDownAddedAtResumeEqualsACoolDownFromTheStart(@TempDir Path a, @TempDir Path b, @TempDir Path c) {
        List<Double> rates = new ArrayList<>();
        TrainConfig cooled = new TrainConfig(6, 4, 3e-3, 5, 0, 1.0, 0.9, 0.1, 0, "logit-normal", 11, 3, 0, 3);
        DiTTrainer.Result once = new DiTTrainer(tiny(), cooled, cache, a).run(false, null, (s, l, r) -> rates.add(r));
        double lr = 3e-3; // warm-up over 5 steps; the last 3 fall by (left + 1) / 4
        double[] expected = {lr / 5, 2 * lr / 5, 3 * lr / 5, 4 * lr / 5 * 3 / 4, lr * 2 / 4, lr / 4};
        assertEquals(expected.length, rates.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rates.get(i), 1e-15, "step " + (i + 1));
        }
        var quiet = (DiTTrainer.Listener) (s, l, r) -> { };
        new DiTTrainer(tiny(), config(3, 0.1, 0.9), cache, b).run(false, null, quiet);
        DiTTrainer.Result resumed = new DiTTrainer(tiny(), cooled, cache, b).run(true, null, quiet);
        DiTTrainer.Result constant = new DiTTrainer(tiny(), config(6, 0.1, 0.9), cache, c).run(false, null, quiet);
        boolean changed = false;
        for (String k : once.weights().keySet()) {
            assertArrayEquals(once.weights().get(k).data(), resumed.weights().get(k).data(), k);
            assertArrayEquals(once.emaWeights().get(k).data(), resumed.emaWeights().get(k).data(), "ema " + k);
            changed |= !Arrays.equals(once.weights().get(k).data(), constant.weights().get(k).data());
        }
        assertTrue(changed, "the cool-down changed no weight");
    }

    @Test
    void resumeWithAnotherModelConfigIsRefused(@TempDir Path a) {
        new DiTTrainer(tiny(), config(2, 0.1, 0.9), cache, a).run(false, null, (s, l, r) -> { });
        DiTConfig other = DiTConfig.preset("tiny", SIDE, C, 384, 8).withPatchSize(1);
        LdmException e = assertThrows(LdmException.class,
                () -> new DiTTrainer(other, config(4, 0.1, 0.9), cache, a).run(true, null, (s, l, r) -> { }));
        assertEquals(2, e.exitCode());
    }

    /** A DiT trained on 4 captioned latents reproduces each one from its caption. */
    @Test
    void overfitsFourCaptionedImages(@TempDir Path dir) {
        DiTConfig c = DiTConfig.preset("tiny", SIDE, C, 384, 8).withPatchSize(1);
        DiTTrainer.Result r = new DiTTrainer(c, config(500, 0.0, 0.0), cache, dir).run(false, null, (s, l, lr) -> { });
        assertTrue(r.finalLoss() < 0.5, "final loss " + r.finalLoss());
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, c, new Rng(0));
            dit.loadStateDict(r.weights(), "trained");
            int n = 4;
            NDArray states = Nd.fromTensor(m, cache.text().states().rows(0, 1, 2, 3));
            NDArray mask = Nd.fromTensor(m, cache.text().mask().rows(0, 1, 2, 3));
            NDArray pooled = Nd.fromTensor(m, cache.text().pooled().rows(0, 1, 2, 3));
            Tensor noise = Nd.toTensor(Nd.normal(m, new Rng(5), 1, n, C, SIDE, SIDE));
            float[] out = new EulerSampler().sample(VelocityField.onEngine(m, (x, t) -> dit.forward(x,
                    x.getManager().full(new ai.djl.ndarray.types.Shape(n), t), states, mask, pooled)), noise,
                    Schedule.timesteps(20, 1), new Rng(1), StepListener.NONE).data();
            float[] want = cache.latents().data();
            int per = C * SIDE * SIDE;
            for (int i = 0; i < n; i++) {
                int nearest = -1;
                double best = Double.MAX_VALUE;
                for (int j = 0; j < n; j++) {
                    double mse = 0;
                    for (int k = 0; k < per; k++) {
                        double d = out[i * per + k] - want[j * per + k];
                        mse += d * d / per;
                    }
                    if (mse < best) {
                        best = mse;
                        nearest = j;
                    }
                }
                assertEquals(i, nearest, "caption " + CAPTIONS.get(i) + " drew image " + nearest);
                assertTrue(best < 0.1, "caption " + CAPTIONS.get(i) + " reconstruction MSE " + best);
            }
        }
    }
}
