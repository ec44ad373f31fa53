package dev.ldm.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.ldm.metrics.Ssim;
import dev.ldm.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * SSIM ({@link Ssim}, for reports) and MS-SSIM ({@link MsSsim}, the training loss): identities, and
 * agreement with a straightforward reference written here from the definitions (a 2-D window
 * summed position by position, no separable filter, no matrix products) on many random images.
 */
class MsSsimTest {
    /** Reference SSIM and cs of one channel in [0, 1]: {ssim, cs}, means over the valid window positions. */
    private static double[] reference(double[][] x, double[][] y, int k) {
        double[] g1 = new double[k];
        double total = 0;
        for (int i = 0; i < k; i++) {
            double d = i - (k - 1) / 2.0;
            g1[i] = Math.exp(-d * d / (2 * 1.5 * 1.5));
            total += g1[i];
        }
        double c1 = 1e-4;
        double c2 = 9e-4;
        int oh = x.length - k + 1;
        int ow = x[0].length - k + 1;
        double ssim = 0;
        double cs = 0;
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double mx = 0;
                double my = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double w = g1[i] * g1[j] / (total * total);
                        double a = x[r + i][c + j];
                        double b = y[r + i][c + j];
                        mx += w * a;
                        my += w * b;
                        sxx += w * a * a;
                        syy += w * b * b;
                        sxy += w * a * b;
                    }
                }
                double vx = sxx - mx * mx;
                double vy = syy - my * my;
                double cov = sxy - mx * my;
                double structure = (2 * cov + c2) / (vx + vy + c2);
                ssim += (2 * mx * my + c1) / (mx * mx + my * my + c1) * structure;
                cs += structure;
            }
        }
        return new double[] {ssim / (oh * ow), cs / (oh * ow)};
    }

    private static double[][] pool(double[][] x) {
        double[][] out = new double[x.length / 2][x[0].length / 2];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < out[0].length; c++) {
                out[r][c] = (x[2 * r][2 * c] + x[2 * r + 1][2 * c] + x[2 * r][2 * c + 1] + x[2 * r + 1][2 * c + 1]) / 4;
            }
        }
        return out;
    }

    /** Reference MS-SSIM of one channel: Π cs_j^w_j · ssim_M^w_M with the given window and weights. */
    private static double referenceMs(double[][] x, double[][] y, int k, double[] weights) {
        double product = 1;
        for (int j = 0; j < weights.length; j++) {
            double[] t = reference(x, y, k);
            product *= Math.pow(Math.max(MsSsim.FLOOR, j == weights.length - 1 ? t[0] : t[1]), weights[j]);
            x = pool(x);
            y = pool(y);
        }
        return product;
    }

    /** A smooth random image in [-1, 1] and a noisy copy: [2][C][H][W]. */
    private static float[][] pair(Rng rng, int c, int h, int w, double noise) {
        float[] a = new float[c * h * w];
        float[] b = new float[a.length];
        float[] g = rng.gaussian(a.length * 2);
        for (int ch = 0; ch < c; ch++) {
            double fx = 0.2 + 0.5 * Math.abs(g[ch]);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int p = (ch * h + i) * w + j;
                    double v = 0.6 * Math.sin(fx * i + g[ch + 1]) * Math.cos(fx * j) + 0.3 * g[p];
                    a[p] = (float) Math.max(-1, Math.min(1, v));
                    b[p] = (float) Math.max(-1, Math.min(1, a[p] + noise * g[a.length + p]));
                }
            }
        }
        return new float[][] {a, b};
    }

    private static double[][] plane(float[] chw, int ch, int h, int w) {
        double[][] out = new double[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                out[i][j] = (chw[(ch * h + i) * w + j] + 1) / 2.0;
            }
        }
        return out;
    }

    private static double msssim(NDManager m, float[] a, float[] b, int c, int h, int w) {
        NDArray x = m.create(a, new Shape(1, c, h, w)).add(1f).div(2f);
        NDArray y = m.create(b, new Shape(1, c, h, w)).add(1f).div(2f);
        return MsSsim.perImage(x, y).getFloat(0);
    }

    @Test
    void scalesAndWeightsFor128PixelsAndSmallImages() {
        assertEquals(4, MsSsim.scales(128), "128, 64, 32 and 16 px; 8 px would be smaller than the window");
        assertEquals(5, MsSsim.scales(176));
        assertEquals(1, MsSsim.scales(16));
        assertEquals(2, MsSsim.scales(22));
        assertEquals(7, Ssim.window(8));
        assertEquals(7, Ssim.window(7));
        assertEquals(11, Ssim.window(128));
        double[] w = MsSsim.weights(4);
        assertEquals(1.0, w[0] + w[1] + w[2] + w[3], 1e-12);
        assertEquals(0.0448 / 0.8668, w[0], 1e-12);
    }

    @Test
    void identitySymmetryRangeAndFallWithNoise() {
        Rng rng = Rng.stream(1, "ssim-identities");
        try (NDManager m = NDManager.newBaseManager()) {
            for (int side : new int[] {8, 24, 48}) {
                float[][] p = pair(rng, 3, side, side, 0.2);
                assertEquals(1.0, Ssim.mean(p[0], p[0], 3, side, side), 1e-12);
                assertEquals(1.0, msssim(m, p[0], p[0], 3, side, side), 1e-5);
                assertEquals(Ssim.mean(p[0], p[1], 3, side, side), Ssim.mean(p[1], p[0], 3, side, side), 1e-12);
                assertEquals(msssim(m, p[0], p[1], 3, side, side), msssim(m, p[1], p[0], 3, side, side), 1e-6);
                double previous = 1;
                double previousMs = 1;
                for (double noise : new double[] {0.05, 0.2, 0.5, 1.0}) {
                    float[][] q = pair(Rng.stream(2, "noise-" + side), 3, side, side, noise);
                    double s = Ssim.mean(q[0], q[1], 3, side, side);
                    double ms = msssim(m, q[0], q[1], 3, side, side);
                    assertTrue(s < previous && s >= -1, "SSIM " + s + " at noise " + noise + ", " + side + " px");
                    assertTrue(ms < previousMs && ms >= 0, "MS-SSIM " + ms + " at noise " + noise + ", " + side + " px");
                    previous = s;
                    previousMs = ms;
                }
            }
        }
    }

    @Test
    void agreesWithAStraightforwardReferenceOnManyRandomImages() {
        Rng rng = Rng.stream(3, "ssim-reference");
        int[][] shapes = {{8, 8}, {9, 12}, {16, 16}, {24, 24}, {23, 30}, {48, 48}};
        int compared = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] hw : shapes) {
                int h = hw[0];
                int w = hw[1];
                int side = Math.min(h, w);
                int k = Ssim.window(side);
                double[] weights = MsSsim.weights(MsSsim.scales(side));
                for (int n = 0; n < 12; n++) {
                    double noise = 0.05 + 0.1 * n;
                    float[][] p = pair(rng, 2, h, w, noise);
                    double ssim = 0;
                    double ms = 0;
                    for (int c = 0; c < 2; c++) {
                        double[][] x = plane(p[0], c, h, w);
                        double[][] y = plane(p[1], c, h, w);
                        ssim += reference(x, y, k)[0] / 2;
                        ms += referenceMs(x, y, k, weights) / 2;
                    }
                    assertEquals(ssim, Ssim.mean(p[0], p[1], 2, h, w), 1e-9, h + "×" + w + " noise " + noise);
                    assertEquals(ms, msssim(m, p[0], p[1], 2, h, w), 2e-5, "MS-SSIM " + h + "×" + w + " noise " + noise);
                    compared++;
                }
            }
        }
        assertEquals(72, compared);
    }

    @Test
    void theLossIsDifferentiableAndBatchedPerImage() {
        Rng rng = Rng.stream(4, "ssim-batch");
        float[][] p = pair(rng, 3, 32, 32, 0.3);
        float[][] q = pair(rng, 3, 32, 32, 0.1);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = concat(p[0], q[0]);
            float[] b = concat(p[1], q[1]);
            NDArray x = m.create(a, new Shape(2, 3, 32, 32)).add(1f).div(2f);
            NDArray y = m.create(b, new Shape(2, 3, 32, 32)).add(1f).div(2f);
            float[] each = MsSsim.perImage(x, y).toFloatArray();
            assertArrayEquals(new float[] {(float) msssim(m, p[0], p[1], 3, 32, 32), (float) msssim(m, q[0], q[1], 3, 32, 32)},
                    each, 1e-6f);
            y.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = MsSsim.loss(x, y);
                assertEquals(1 - (each[0] + each[1]) / 2, loss.getFloat(), 1e-6);
                gc.backward(loss);
            }
            float[] grad = y.getGradient().toFloatArray();
            double norm = 0;
            for (float g : grad) {
                assertTrue(Float.isFinite(g));
                norm += g * g;
            }
            assertTrue(norm > 0, "the loss has a gradient");
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
