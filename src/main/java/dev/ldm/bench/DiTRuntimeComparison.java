package dev.ldm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.model.DiTWeights;
import dev.ldm.model.OnnxDiT;
import dev.ldm.nn.Nd;
import dev.ldm.onnx.Device;
import dev.ldm.util.Rng;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One DiT forward pass in DJL (PyTorch, eager) against the same weights in ONNX Runtime (ldm's
 * own export), timed call by call in alternation, so that a machine loaded by other work slows
 * both alike and the ratio of their medians stays meaningful when absolute times do not. Each
 * side is timed on the arrays the sampler gives it: engine arrays to DJL, host tensors to ONNX
 * Runtime (the sampler works on host tensors).
 */
public final class DiTRuntimeComparison {
    private DiTRuntimeComparison() {}

    /**
     * Medians over {@code reps} alternating calls at {@code batch}, after warm-up:
     * {@code dit_forward_djl_ms_b<batch>}, {@code dit_forward_onnx_ms_b<batch>},
     * {@code dit_onnx_speedup_b<batch>} (DJL / ONNX Runtime) and the largest output difference.
     */
    public static Map<String, Object> compare(DiT dit, OnnxDiT onnx, int batch, int reps) {
        DiTConfig c = dit.config();
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng rng = new Rng(1);
            NDArray x = Nd.normal(m, rng, 1, batch, c.inChannels(), c.inputSize(), c.inputSize()); // [B, C, S, S]
            NDArray t = m.full(new Shape(batch), 0.5f);                                         // [B]
            NDArray text = Nd.normal(m, rng, 1, batch, c.textLength(), c.textDim());            // [B, L, E]
            NDArray mask = m.ones(new Shape(batch, c.textLength()));                            // [B, L]
            NDArray pooled = Nd.normal(m, rng, 1, batch, c.textDim());                          // [B, E]
            double[] djl = new double[reps];
            double[] ort = new double[reps];
            Tensor[] host = {Nd.toTensor(x), Nd.toTensor(t), Nd.toTensor(text), Nd.toTensor(mask), Nd.toTensor(pooled)};
            float[][] last = new float[2][];
            for (int i = -3; i < reps; i++) {
                try (NDScope s = new NDScope()) {
                    long t0 = System.nanoTime();
                    last[0] = dit.forward(x, t, text, mask, pooled).toFloatArray();
                    long t1 = System.nanoTime();
                    last[1] = onnx.forward(host[0], host[1], host[2], host[3], host[4]).data();
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        djl[i] = (t1 - t0) / 1e6;
                        ort[i] = (t2 - t1) / 1e6;
                    }
                }
            }
            double a = median(djl), b = median(ort);
            out.put("dit_forward_djl_ms_b" + batch, a);
            out.put("dit_forward_onnx_ms_b" + batch, b);
            out.put("dit_onnx_speedup_b" + batch, a / b);
            out.put("dit_onnx_max_abs_diff_b" + batch, maxAbsDiff(last[0], last[1]));
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** {@code DiTRuntimeComparison <dit folder> [reps]}: prints the comparison at batch 2 and 16. */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "models/default/dit");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = DiTWeights.load(m, dir);
            try (OnnxDiT onnx = OnnxDiT.open(dit, Device.CPU)) {
                for (int batch : new int[] {2, 16}) {
                    compare(dit, onnx, batch, reps).forEach((k, v) -> System.out.println(k + " " + v));
                }
            }
        }
    }
}
