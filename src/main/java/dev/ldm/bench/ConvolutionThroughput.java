package dev.ldm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.util.Rng;
import dev.ldm.vae.Autoencoder;
import dev.ldm.vae.Conv2d;
import dev.ldm.vae.VaeConfig;
import dev.ldm.vae.VaeDecoder;
import dev.ldm.vae.VaeLoss;
import dev.ldm.vae.VaeOnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the autoencoder costs on this CPU, beside the same run's matrix-product peak: training
 * throughput of ldm's {@link Conv2d} (forward and backward) at the shapes of the 128 px {@code f8s}
 * autoencoder, one whole training step of that autoencoder, and its ONNX decoder's time per 128 px
 * image. Weights are random: time does not depend on them.
 */
final class ConvolutionThroughput {
    /** The autoencoder measured: the general 128 px preset. */
    static final String PRESET = "f8s";
    static final int SIDE = 128;
    static final int BATCH = 8;

    private ConvolutionThroughput() {}

    /**
     * One 3×3 convolution's training FLOPs: forward 2·B·Cin·Cout·9·H·W, and as much again for each of
     * the input and weight gradients.
     */
    static double trainingFlops(int batch, int in, int out, int side) {
        return 3 * 2.0 * batch * in * out * 9 * side * side;
    }

    /**
     * @param quick one repetition at a quarter of the side (a smoke test)
     * @param matmulGflops the run's matrix-product peak, for the fractions
     */
    static Map<String, Object> measure(boolean quick, double matmulGflops, Device device) {
        Map<String, Object> results = new LinkedHashMap<>();
        int side = quick ? SIDE / 4 : SIDE;
        int reps = quick ? 1 : 5;
        VaeConfig vc = VaeConfig.preset(PRESET);
        List<Map<String, Object>> rows = new ArrayList<>();
        double flops = 0;
        double seconds = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            int s = side;
            for (int mult : vc.channelMultipliers()) {
                int ch = vc.baseChannels() * mult;
                Conv2d conv = Conv2d.same3x3(m, new Rng(1), ch, ch);
                conv.setRequiresGradient(true);
                NDArray x = Nd.normal(m, new Rng(2), 1, BATCH, ch, s, s);
                x.setRequiresGradient(true);
                double sec = time(reps, () -> {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(conv.forward(x).sum());
                    }
                });
                double f = trainingFlops(BATCH, ch, ch, s);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("channels", ch);
                row.put("side", s);
                row.put("batch", BATCH);
                row.put("ms", sec * 1e3);
                row.put("gflops", f / sec / 1e9);
                row.put("fraction_of_matmul", f / sec / 1e9 / matmulGflops);
                rows.add(row);
                flops += f;
                seconds += sec;
                s /= 2;
            }
            results.put("conv_train", rows);
            results.put("conv_train_gflops", flops / seconds / 1e9);
            results.put("conv_train_fraction_of_matmul", flops / seconds / 1e9 / matmulGflops);

            Autoencoder vae = new Autoencoder(m, vc, 0);
            vae.setRequiresGradient(true);
            int f = vc.downsampleFactor();
            NDArray x = Nd.uniform(m, new Rng(3), 1, BATCH, 3, side, side);
            NDArray eps = Nd.normal(m, new Rng(4), 1, BATCH, vc.latentChannels(), side / f, side / f);
            double step = time(reps, () -> {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList l = VaeLoss.compute(vae, x, eps, 1e-6, true);
                    gc.backward(l.get(0));
                }
            });
            results.put("vae_train_step_ms_" + PRESET + "_b" + BATCH, step * 1e3);
            vae.setRequiresGradient(false);
            results.put("vae_decode_ms_per_image_" + PRESET + "_" + side, decodeMsPerImage(vae, side, reps, device));
        }
        return results;
    }

    /** The exported decoder's time per image at a batch of {@link #BATCH} latents of a {@code side} px image. */
    private static double decodeMsPerImage(Autoencoder vae, int side, int reps, Device device) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("ldm-bench-vae");
            VaeOnnxExport.write(vae, dir);
            VaeConfig vc = vae.config();
            int h = side / vc.downsampleFactor();
            Tensor z = new Tensor(new long[] {BATCH, vc.latentChannels(), h, h},
                    new Rng(5).gaussian(BATCH * vc.latentChannels() * h * h));
            try (VaeDecoder dec = VaeDecoder.open(dir.resolve(VaeOnnxExport.DECODER_FILE), device)) {
                return time(reps, () -> dec.decode(z)) * 1e3 / BATCH;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (dir != null) {
                dev.ldm.io.AtomicFiles.deleteTreeQuietly(dir);
            }
        }
    }

    /** Seconds per run of {@code body}, after one untimed warm-up run; each run in its own NDScope. */
    private static double time(int reps, Runnable body) {
        try (NDScope s = new NDScope()) {
            body.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            try (NDScope s = new NDScope()) {
                body.run();
            }
        }
        return (System.nanoTime() - t0) / 1e9 / reps;
    }
}
