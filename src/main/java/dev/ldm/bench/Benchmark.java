package dev.ldm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.ldm.folder.ModelFolder;
import dev.ldm.generate.GenerateRequest;
import dev.ldm.generate.Generator;
import dev.ldm.generate.Timings;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTFlops;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.text.TextEmbedding;
import dev.ldm.train.DiTTrainer;
import dev.ldm.train.LatentCache;
import dev.ldm.train.TrainConfig;
import dev.ldm.util.Rng;
import dev.ldm.vae.VaeDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ldm bench}: every figure measured in one run on one machine, so ratios between them are
 * meaningful (matmul peak vs DiT training, DiT share of generation, batch 8 vs batch 1).
 */
public final class Benchmark {
    /** Sizes of the run. {@code quick} shrinks repetitions for tests. */
    public record Settings(int trainBatch, int trainSteps, int steps, boolean quick, boolean scaling) {}

    private final ModelFolder model;
    private final Device device;
    private final Settings settings;
    private final Map<String, Object> results = new LinkedHashMap<>();

    public Benchmark(ModelFolder model, Device device, Settings settings) {
        this.model = model;
        this.device = device;
        this.settings = settings;
    }

    public Map<String, Object> run() {
        results.put("threads", Runtime.getRuntime().availableProcessors());
        matmul();
        try (Generator gen = Generator.open(model, device)) {
            DiTConfig c = gen.dit().config();
            results.put("dit_config", c);
            results.put("dit_parameters", gen.dit().parameterCount());
            results.put("dit_tokens", (c.inputSize() / c.patchSize()) * (c.inputSize() / c.patchSize()));
            ditForward(gen.dit(), 2);
            ditForward(gen.dit(), 16);
            results.put("dit_runtime", gen.ditRuntime().name().toLowerCase(java.util.Locale.ROOT));
            try (dev.ldm.model.OnnxDiT onnx = dev.ldm.model.OnnxDiT.open(gen.dit(), device)) {
                results.putAll(DiTRuntimeComparison.compare(gen.dit(), onnx, 2, reps(20)));
                results.putAll(DiTRuntimeComparison.compare(gen.dit(), onnx, 16, reps(20)));
            }
            trainStep(c);
            textEncoding(gen);
            vaeDecode(c);
            endToEnd(gen, 1);
            endToEnd(gen, 8);
            if (settings.scaling()) {
                results.put("scaling", scaling(c));
            }
        }
        results.putAll(ConvolutionThroughput.measure(settings.quick(), (double) results.get("matmul_gflops"), device));
        double peak = (double) results.get("matmul_gflops");
        results.put("train_fraction_of_matmul", (double) results.get("train_gflops") / peak);
        double ips1 = (double) results.get("e2e_images_per_s_n1");
        double ips8 = (double) results.get("e2e_images_per_s_n8");
        results.put("batch8_speedup", ips8 / ips1);
        return results;
    }

    private int reps(int full) {
        return settings.quick() ? 1 : full;
    }

    private void matmul() {
        int n = settings.quick() ? 512 : 2048;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            int r = reps(10);
            long t0 = System.nanoTime();
            for (int i = 0; i < r; i++) {
                a.matMul(b).close();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            results.put("matmul_size", n);
            results.put("matmul_gflops", r * 2.0 * n * n * n / s / 1e9);
        }
    }

    private void ditForward(DiT dit, int batch) {
        DiTConfig c = dit.config();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng rng = new Rng(1);
            NDArray x = Nd.normal(m, rng, 1, batch, c.inChannels(), c.inputSize(), c.inputSize());
            NDArray t = m.full(new Shape(batch), 0.5f);
            NDArray text = Nd.normal(m, rng, 1, batch, c.textLength(), c.textDim());
            NDArray mask = m.ones(new Shape(batch, c.textLength()));
            NDArray pooled = Nd.normal(m, rng, 1, batch, c.textDim());
            int r = reps(20);
            long t0 = 0;
            for (int i = -2; i < r; i++) {
                if (i == 0) {
                    t0 = System.nanoTime();
                }
                try (NDScope s = new NDScope()) {
                    dit.forward(x, t, text, mask, pooled).toFloatArray();
                }
            }
            double sec = (System.nanoTime() - t0) / 1e9 / r;
            results.put("dit_forward_ms_b" + batch, sec * 1e3);
            results.put("dit_forward_gflops_b" + batch, DiTFlops.forward(c, batch) / sec / 1e9);
        }
    }

    private void trainStep(DiTConfig c) {
        int b = settings.trainBatch();
        double sec = secondsPerTrainStep(c, b, settings.trainSteps());
        results.put("train_batch", b);
        results.put("train_step_ms", sec * 1e3);
        results.put("train_images_per_s", b / sec);
        results.put("train_gflops", DiTFlops.trainingStep(c, b) / sec / 1e9);
    }

    /**
     * Step time against token count (16, 64, 256) and batch (1, 8, 64) for the model's width and
     * depth, beside the FLOP-based expectation: the step's FLOPs at this run's matmul peak.
     */
    public List<Map<String, Object>> scaling(DiTConfig base) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double peak = (double) results.getOrDefault("matmul_gflops", Double.NaN);
        for (int tokens : new int[] {16, 64, 256}) {
            int side = (int) Math.round(Math.sqrt(tokens));
            DiTConfig c = new DiTConfig(side, base.inChannels(), 1, base.hidden(), base.depth(), base.heads(),
                    base.mlpRatio(), base.textDim(), base.textLength());
            for (int b : new int[] {1, 8, 64}) {
                double sec = secondsPerTrainStep(c, b, settings.quick() ? 1 : 5);
                long flops = DiTFlops.trainingStep(c, b);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tokens", tokens);
                row.put("batch", b);
                row.put("step_ms", sec * 1e3);
                row.put("flop_expected_ms", flops / peak / 1e6);
                row.put("gflops", flops / sec / 1e9);
                rows.add(row);
            }
        }
        return rows;
    }

    private static double secondsPerTrainStep(DiTConfig c, int b, int measured) {
        int n = b * 4;
        Rng rng = new Rng(2);
        Tensor lat = new Tensor(new long[] {n, c.inChannels(), c.inputSize(), c.inputSize()},
                rng.gaussian(n * c.inChannels() * c.inputSize() * c.inputSize()));
        Tensor states = new Tensor(new long[] {n, c.textLength(), c.textDim()}, rng.gaussian(n * c.textLength() * c.textDim()));
        float[] ones = new float[n * c.textLength()];
        java.util.Arrays.fill(ones, 1f);
        Tensor mask = new Tensor(new long[] {n, c.textLength()}, ones);
        Tensor pooled = new Tensor(new long[] {n, c.textDim()}, rng.gaussian(n * c.textDim()));
        LatentCache cache = new LatentCache(lat, states, mask, pooled, states.rows(0), mask.rows(0), pooled.rows(0),
                Collections.nCopies(n, "x"));
        int warm = 3;
        int steps = warm + measured;
        TrainConfig tc = new TrainConfig(steps, b, 1e-4, 0, 0, 1.0, 0.999, 0.1, 0, "logit-normal", 0, 1_000_000, 0);
        long[] marks = new long[2];
        try {
            Path tmp = Files.createTempDirectory("ldm-bench");
            new DiTTrainer(c, tc, cache, tmp).run(false, null, (step, loss, lr) -> {
                if (step == warm) {
                    marks[0] = System.nanoTime();
                }
                if (step == steps) {
                    marks[1] = System.nanoTime();
                }
            });
            dev.ldm.io.AtomicFiles.deleteTree(tmp);
        } catch (java.io.IOException e) {
            throw dev.ldm.LdmException.failure("cannot create a temporary folder", e);
        }
        return (marks[1] - marks[0]) / 1e9 / measured;
    }


    private void textEncoding(Generator gen) {
        List<String> prompts = List.of("a red fox", "");
        gen.textEncoder().encode(prompts);
        int r = reps(20);
        long t0 = System.nanoTime();
        for (int i = 0; i < r; i++) {
            TextEmbedding e = gen.textEncoder().encode(prompts);
            if (e.batch() != 2) {
                throw new IllegalStateException();
            }
        }
        results.put("text_encode_ms_b2", (System.nanoTime() - t0) / 1e6 / r);
    }

    private void vaeDecode(DiTConfig c) {
        try (VaeDecoder dec = VaeDecoder.open(model.resolve(model.manifest().vae().decoder()), device)) {
            for (int b : new int[] {1, 8}) {
                Tensor z = new Tensor(new long[] {b, c.inChannels(), c.inputSize(), c.inputSize()},
                        new Rng(3).gaussian(b * c.inChannels() * c.inputSize() * c.inputSize()));
                dec.decode(z);
                int r = reps(10);
                long t0 = System.nanoTime();
                for (int i = 0; i < r; i++) {
                    dec.decode(z);
                }
                results.put("vae_decode_ms_b" + b, (System.nanoTime() - t0) / 1e6 / r);
            }
        }
    }

    private void endToEnd(Generator gen, int n) {
        var d = model.manifest().defaults();
        Integer anchor = d.draftAnchor(null, d.draftStrength());
        GenerateRequest req = new GenerateRequest("a red fox", "", settings.steps(), d.cfg(), 1, n, d.size(),
                d.sampler(), d.shift(), d.guidanceInterval(), null, d.draftStrength(), anchor,
                d.draftColour(null, anchor), d.tagGuidance(null));
        if (n == 1) {
            results.put("e2e_image_px", d.size());
            results.put("e2e_steps", settings.steps());
            results.put("e2e_cfg", d.cfg());
        }
        gen.generate(req.withN(1), dev.ldm.flow.StepListener.NONE, null);
        Timings[] t = new Timings[1];
        long t0 = System.nanoTime();
        gen.generate(req, dev.ldm.flow.StepListener.NONE, t);
        double sec = (System.nanoTime() - t0) / 1e9;
        results.put("e2e_ms_per_image_n" + n, sec * 1e3 / n);
        results.put("e2e_images_per_s_n" + n, n / sec);
        results.put("e2e_dit_share_n" + n, t[0].dit() / 1e9 / sec);
        // sampling plus decoding, what a user waits for after the model is loaded and the prompt encoded
        double sampleDecode = (t[0].denoise() + t[0].decode()) / 1e9;
        results.put("e2e_sample_decode_ms_per_image_n" + n, sampleDecode * 1e3 / n);
        results.put("e2e_sample_decode_dit_share_n" + n, t[0].dit() / 1e9 / sampleDecode);
        results.put("e2e_sample_decode_decoder_share_n" + n, t[0].decode() / 1e9 / sampleDecode);
        if (t[0].draft() > 0) { // a cascade: its draft stage (the draft model's whole generate, upscaling, encoding)
            results.put("e2e_sample_decode_draft_share_n" + n, t[0].draft() / 1e9 / sampleDecode);
        }
    }

}
