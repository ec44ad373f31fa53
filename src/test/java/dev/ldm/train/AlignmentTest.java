package dev.ldm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.LdmException;
import dev.ldm.io.Tensor;
import dev.ldm.model.DiT;
import dev.ldm.model.DiTConfig;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REPA term on the engine against plain Java, and where its gradient goes in a DiT. */
class AlignmentTest {
    /** −mean over rows of cos(p, f), in double precision, with exact norms. */
    private static double reference(float[] p, float[] f, int width) {
        double sum = 0;
        int rows = p.length / width;
        for (int r = 0; r < rows; r++) {
            double dot = 0, pp = 0, ff = 0;
            for (int c = 0; c < width; c++) {
                double a = p[r * width + c], b = f[r * width + c];
                dot += a * b;
                pp += a * a;
                ff += b * b;
            }
            sum += dot / (Math.sqrt(pp) * Math.sqrt(ff));
        }
        return -sum / rows;
    }

    private static double engineLoss(NDManager m, float[] p, float[] f, Shape shape) {
        return Alignment.loss(m.create(p, shape), m.create(f, shape)).getFloat();
    }

    @Test
    void lossIsTheNegativeMeanCosineOfEachToken() {
        Shape shape = new Shape(3, 5, 7); // [B, T, W]
        Rng rng = new Rng(42);
        float[] p = rng.gaussian(3 * 5 * 7);
        float[] f = rng.gaussian(3 * 5 * 7);
        try (NDManager m = NDManager.newBaseManager()) {
            double want = reference(p, f, 7);
            assertEquals(want, engineLoss(m, p, f, shape), 1e-6);
            assertTrue(Math.abs(want) > 0.01 && Math.abs(want) < 0.9, "a generic value, not an extreme: " + want);

            float[] parallel = new float[f.length]; // the projector's output parallel to the target: −1
            float[] opposite = new float[f.length]; // anti-parallel: +1
            for (int i = 0; i < f.length; i++) {
                parallel[i] = 2.5f * f[i];
                opposite[i] = -0.5f * f[i];
            }
            assertEquals(-1.0, reference(parallel, f, 7), 1e-12);
            assertEquals(-1.0, engineLoss(m, parallel, f, shape), 1e-6);
            assertEquals(1.0, engineLoss(m, opposite, f, shape), 1e-6);

            float[] zero = p.clone(); // a zero vector counts as cosine 0, not NaN
            java.util.Arrays.fill(zero, 0, 7, 0f);
            double withZero = engineLoss(m, zero, f, shape);
            double rest = 0;
            for (int r = 1; r < 15; r++) {
                rest += reference(java.util.Arrays.copyOfRange(p, r * 7, r * 7 + 7),
                        java.util.Arrays.copyOfRange(f, r * 7, r * 7 + 7), 7);
            }
            assertEquals(rest / 15, withZero, 1e-6);
        }
    }

    /**
     * Standardised targets have mean 0 and variance 1 in every channel, and do not change when a channel
     * is scaled by a positive factor and shifted (the large common offset the judge's features carry).
     */
    @Test
    void standardisedTargetsHaveZeroMeanUnitVarianceAndIgnoreChannelOffsets() {
        java.util.Random r = new java.util.Random(3);
        int n = 6, t = 4, w = 5;
        float[] x = new float[n * t * w];
        float[] moved = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            int c = i % w;
            moved[i] = x[i] * (0.5f + c) + 10f * (c + 1);
        }
        Tensor a = Alignment.standardise(new Tensor(new long[] {n, t, w}, x));
        Tensor b = Alignment.standardise(new Tensor(new long[] {n, t, w}, moved));
        for (int c = 0; c < w; c++) {
            double sum = 0;
            double sq = 0;
            for (int row = 0; row < n * t; row++) {
                sum += a.data()[row * w + c];
                sq += a.data()[row * w + c] * a.data()[row * w + c];
            }
            assertEquals(0, sum / (n * t), 1e-6, "mean of channel " + c);
            assertEquals(1, sq / (n * t), 1e-5, "variance of channel " + c);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(a.data()[i], b.data()[i], 2e-5, "element " + i);
        }
        Tensor constant = Alignment.standardise(new Tensor(new long[] {1, 2, 1}, new float[] {4f, 4f}));
        assertEquals(0f, constant.data()[0], "a constant channel becomes 0, not NaN");
    }

    @Test
    void mapsArePooledToTheTokenGridOrRefused() {
        // a 4x4 map of width 2: value = position index, channel 1 = its negative
        float[] v = new float[16 * 2];
        for (int i = 0; i < 16; i++) {
            v[2 * i] = i;
            v[2 * i + 1] = -i;
        }
        Tensor pooled = Alignment.poolToGrid(new Tensor(new long[] {1, 16, 2}, v), 4, 2);
        assertArrayEquals(new long[] {1, 4, 2}, pooled.shape());
        // top-left 2x2 block holds positions 0, 1, 4, 5
        assertArrayEquals(new float[] {2.5f, -2.5f, 4.5f, -4.5f, 10.5f, -10.5f, 12.5f, -12.5f}, pooled.data());
        Alignment.checkGrids(8, 8, "judge");
        Alignment.checkGrids(8, 4, "judge");
        LdmException e = assertThrows(LdmException.class, () -> Alignment.checkGrids(4, 3, "judge"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("4x4") && e.getMessage().contains("3x3"), e.getMessage());
        assertThrows(LdmException.class, () -> Alignment.checkGrids(4, 8, "judge"));
    }

    /**
     * The alignment term alone moves only what computes block 1's output: every parameter of later
     * blocks and of the final layer gets a zero gradient, the patch embedder and block 1 a non-zero one.
     */
    @Test
    void gradientOfTheAlignmentTermStopsAtTheAlignedBlock() {
        DiTConfig config = DiTConfig.preset("tiny", 4, 4, 16, 3).withPatchSize(2); // depth 2, 4 tokens
        int b = 2;
        try (NDManager m = NDManager.newBaseManager()) {
            DiT dit = new DiT(m, config, new Rng(1));
            Rng noise = new Rng(2); // away from adaLN-Zero's zeros, so every gate passes a gradient
            dit.parameters().forEach((k, p) -> {
                float[] d = Nd.toTensor(p).data();
                float[] n = noise.gaussian(d.length);
                for (int i = 0; i < d.length; i++) {
                    d[i] += 0.1f * n[i];
                }
                Nd.assign(p, d);
            });
            AlignProjector projector = new AlignProjector(m, Rng.stream(0, AlignProjector.INIT_STREAM),
                    config.hidden(), 5);
            Rng in = new Rng(3);
            NDArray x = m.create(in.gaussian(b * 4 * 4 * 4), new Shape(b, 4, 4, 4));
            NDArray t = m.create(new float[] {0.3f, 0.8f});
            NDArray text = m.create(in.gaussian(b * 3 * 16), new Shape(b, 3, 16));
            NDArray mask = m.create(new float[] {1, 1, 0, 1, 0, 0}, new Shape(b, 3));
            NDArray pooled = m.create(in.gaussian(b * 16), new Shape(b, 16));
            NDArray target = m.create(in.gaussian(b * 4 * 5), new Shape(b, 4, 5));
            dit.setRequiresGradient(true);
            projector.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DiT.Hidden out = dit.forwardWithHidden(x, t, text, mask, pooled, 1);
                assertArrayEquals(dit.forward(x, t, text, mask, pooled).toFloatArray(), out.velocity().toFloatArray(),
                        "the velocity of the same pass");
                gc.backward(Alignment.loss(projector.forward(out.hidden()), target));
            }
            List<String> zero = new ArrayList<>();
            List<String> nonZero = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : dit.parameters().entrySet()) {
                float[] g = e.getValue().getGradient().toFloatArray();
                boolean any = false;
                for (float v : g) {
                    assertTrue(Float.isFinite(v), e.getKey());
                    any |= v != 0f;
                }
                (any ? nonZero : zero).add(e.getKey());
            }
            for (String k : dit.parameters().keySet()) {
                if (k.startsWith("blocks.1.") || k.startsWith("final_layer.")) {
                    assertTrue(zero.contains(k), k + " gets a gradient from the alignment term");
                }
                if (k.startsWith("x_embedder.") || k.startsWith("blocks.0.")) {
                    assertTrue(nonZero.contains(k), k + " gets no gradient from the alignment term");
                }
            }
            assertTrue(zero.stream().anyMatch(k -> k.startsWith("blocks.1.")), "zero: " + zero);
        }
    }
}
