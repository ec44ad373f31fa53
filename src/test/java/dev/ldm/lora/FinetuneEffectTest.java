package dev.ldm.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import dev.ldm.train.DiTTrainer;
import dev.ldm.train.LatentCache;
import dev.ldm.train.TrainConfig;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fine-tuning effect, measured on a tiny scale: a DiT that learnt four captioned latent
 * patterns is LoRA-fine-tuned (rank 4, attention and MLP) on a handful of noisy copies of a fifth
 * pattern captioned with the trigger word "zxq", plus the four old pairs as regularisation images
 * (DreamBooth's prior preservation, kohya's reg folder). Measure: mean squared error between the
 * latent sampled for a prompt (Euler, 20 steps, fixed noise, no guidance) and each pattern. After
 * fine-tuning the trigger prompt must land on the new pattern (MSE below 0.1 and below a fifth of
 * what the base model gave), while each old caption must still draw its own pattern (nearest of the
 * five, MSE below 0.1). Measured here: trigger 0.98 → 0.024; old captions 0.005–0.018 after.
 * (Without the regularisation pairs this tiny model forgets: two old captions then drew the new
 * pattern.)
 */
class FinetuneEffectTest {
    static final int C = 4;
    static final int SIDE = 4;
    static final int PER = C * SIDE * SIDE;
    static final List<String> OLD = List.of("a red circle", "a blue square", "a green star", "a black heart");
    static final String NEW = "zxq, a purple moon";

    /** Smooth pattern i (i = 0..3 as the base data, 4 the new concept). */
    static float[] pattern(int i) {
        float[] p = new float[PER];
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    p[(c * SIDE + y) * SIDE + x] = i < 4 ? (float) Math.sin(0.9 * (i + 1) * x + 0.7 * c - 0.5 * i * y) * 1.2f
                            : (float) Math.cos(1.3 * y - 0.8 * c + 0.4 * x * y) * 1.2f;
                }
            }
        }
        return p;
    }

    static LatentCache cache(TextEncoder text, List<String> captions, List<float[]> latents) {
        float[] lat = new float[latents.size() * PER];
        for (int i = 0; i < latents.size(); i++) {
            System.arraycopy(latents.get(i), 0, lat, i * PER, PER);
        }
        TextEmbedding e = text.encode(captions);
        TextEmbedding empty = text.encode(List.of(""));
        return new LatentCache(new Tensor(new long[] {latents.size(), C, SIDE, SIDE}, lat), e.states(), e.mask(),
                e.pooled(), empty.states(), empty.mask(), empty.pooled(), captions);
    }

    static TrainConfig config(int steps, double lr) {
        return new TrainConfig(steps, 4, lr, 5, 0, 1.0, 0.0, 0.0, 0, "logit-normal", 11, 100_000, 0);
    }

    @Test
    void triggerPromptLearnsTheNewPatternAndOldPromptsKeepTheirs(@TempDir Path dir) {
        DiTConfig dc = DiTConfig.preset("tiny", SIDE, C, 384, 8).withPatchSize(1);
        List<float[]> patterns = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            patterns.add(pattern(i));
        }
        try (TextEncoder text = TextEncoder.open(TextEncoderConfig.builtin(8), Path.of("."), Device.CPU)) {
            LatentCache oldData = cache(text, OLD, patterns.subList(0, 4));
            DiTTrainer.Listener quiet = (s, l, lr) -> { };
            Map<String, Tensor> base = new DiTTrainer(dc, config(500, 3e-3), oldData, dir.resolve("base"))
                    .run(false, null, quiet).weights();
            Rng jitter = new Rng(4);
            List<float[]> handful = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                float[] p = patterns.get(4).clone();
                float[] n = jitter.gaussian(PER);
                for (int j = 0; j < PER; j++) {
                    p[j] += 0.05f * n[j];
                }
                handful.add(p);
            }
            List<String> captions = new ArrayList<>(Collections.nCopies(4, NEW));
            captions.addAll(OLD);
            List<float[]> latents = new ArrayList<>(handful);
            latents.addAll(patterns.subList(0, 4));
            LatentCache newData = cache(text, captions, latents);
            LoraConfig lc = LoraConfig.of(4, null, true);
            DiTTrainer.Result r = new DiTTrainer(dc, config(300, 3e-3), newData, dir.resolve("lora"))
                    .run(false, base, new LoraNetwork(lc, 11, "base"), quiet);
            LoraFile lora = new LoraFile(lc, r.weights(), "base", Map.of());
            List<String> prompts = new ArrayList<>(OLD);
            prompts.add(NEW);
            double[][] before = errors(dc, base, null, text, prompts, patterns);
            double[][] after = errors(dc, base, lora, text, prompts, patterns);
            assertTrue(after[4][4] < 0.1 && after[4][4] < before[4][4] / 5,
                    "trigger prompt MSE to the new pattern: before " + before[4][4] + ", after " + after[4][4]);
            for (int i = 0; i < 4; i++) {
                assertEquals(i, argmin(after[i]), OLD.get(i) + " now draws pattern " + argmin(after[i]));
                assertTrue(after[i][i] < 0.1, OLD.get(i) + " MSE " + after[i][i]);
            }
        }
    }

    /** errors[p][k]: MSE between the latent sampled for prompt p and pattern k. */
    static double[][] errors(DiTConfig dc, Map<String, Tensor> base, LoraFile lora, TextEncoder text,
            List<String> prompts, List<float[]> patterns) {
        int n = prompts.size();
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, dc, new Rng(0));
            dit.loadStateDict(base, "base");
            if (lora != null) {
                LoraMerge.merge(dit, lora, 1.0, "lora");
            }
            TextEmbedding e = text.encode(prompts);
            NDArray states = Nd.fromTensor(m, e.states());
            NDArray mask = Nd.fromTensor(m, e.mask());
            NDArray pooled = Nd.fromTensor(m, e.pooled());
            Tensor noise = Nd.toTensor(Nd.normal(m, new Rng(5), 1, n, C, SIDE, SIDE));
            float[] out = new EulerSampler().sample(VelocityField.onEngine(m, (x, t) -> dit.forward(x,
                    x.getManager().full(new Shape(n), t), states, mask, pooled)), noise, Schedule.timesteps(20, 1),
                    new Rng(1), StepListener.NONE).data();
            double[][] err = new double[n][patterns.size()];
            for (int p = 0; p < n; p++) {
                for (int k = 0; k < patterns.size(); k++) {
                    double s = 0;
                    for (int j = 0; j < PER; j++) {
                        double d = out[p * PER + j] - patterns.get(k)[j];
                        s += d * d;
                    }
                    err[p][k] = s / PER;
                }
            }
            return err;
        }
    }

    static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
