package dev.ldm.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.metrics.Ssim;
import dev.ldm.nn.Nd;

/**
 * Multi-scale structural similarity (Wang, Simoncelli and Bovik 2003) as a differentiable NDArray
 * function, for the structural loss term W·(1 − MS-SSIM) of autoencoder training.
 *
 * <p>On images in [0, 1] (data range 1, so C1 = 0.01², C2 = 0.03²), per channel: the 11×11 Gaussian
 * window of σ 1.5 of {@link Ssim} without padding ("valid", as the reference implementation), local means,
 * variances and covariance; at every scale but the last the mean contrast-structure term cs, at the
 * last the mean SSIM; between scales a 2×2 average pool. MS-SSIM = Π cs_j^w_j · ssim_M^w_M, with each
 * factor clamped below at {@link #FLOOR} so that a fractional power stays finite and differentiable
 * (the pytorch-msssim package clamps at 0, which would give an infinite gradient there), averaged
 * over channels and images.
 *
 * <p>Scales for small images: the reference's five scales need sides of at least 11·2⁴ = 176 px.
 * At 128 px ldm uses four (128, 64, 32 and 16 px: the coarsest is still larger than the window;
 * a fifth would be 8 px), with the first four of the reference weights (0.0448, 0.2856, 0.3001,
 * 0.2363) renormalised to sum to 1. In general: the most scales, up to five, whose coarsest side
 * is at least the window; the window is 11 px, or the largest odd side that fits an image smaller
 * than that (σ stays 1.5).
 *
 * <p>The Gaussian filtering is two matrix products with banded Toeplitz matrices (rows, then
 * columns), which are exact, deterministic and avoid PyTorch's single-channel convolution path
 * ({@link Conv2d} explains why ldm avoids channel counts that are not a multiple of 16).
 */
public final class MsSsim {
    /** The reference's weights for five scales, finest first. */
    public static final double[] REFERENCE_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    public static final int MAX_SCALES = REFERENCE_WEIGHTS.length;
    /** Lower bound of each factor before its power. */
    public static final float FLOOR = 1e-6f;

    private MsSsim() {}

    /** Scales used for images of this (smaller) side: the most, up to five, whose coarsest side fits the window. */
    public static int scales(int side) {
        int w = Ssim.window(side);
        int s = 1;
        while (s < MAX_SCALES && (side >> s) >= w) {
            s++;
        }
        return s;
    }

    /** The weights of {@code scales} scales: the reference's first ones, renormalised to sum to 1. */
    public static double[] weights(int scales) {
        double sum = 0;
        for (int i = 0; i < scales; i++) {
            sum += REFERENCE_WEIGHTS[i];
        }
        double[] w = new double[scales];
        for (int i = 0; i < scales; i++) {
            w[i] = REFERENCE_WEIGHTS[i] / sum;
        }
        return w;
    }

    /**
     * MS-SSIM of each image pair, averaged over channels: x, y [B, C, H, W] in [0, 1] → [B].
     * Differentiable in both.
     */
    public static NDArray perImage(NDArray x, NDArray y) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || !s.equals(y.getShape())) {
            throw new IllegalArgumentException("MS-SSIM needs two [B, C, H, W] batches of one shape, got " + s
                    + " and " + y.getShape());
        }
        int side = (int) Math.min(s.get(2), s.get(3));
        int window = Ssim.window(side);
        int scales = scales(side);
        double[] w = weights(scales);
        NDManager m = x.getManager();
        NDArray result = null;
        NDArray a = x;
        NDArray b = y;
        for (int j = 0; j < scales; j++) {
            NDList terms = ssimTerms(a, b, window);                   // ssim [B, C], cs [B, C]
            NDArray factor = (j == scales - 1 ? terms.get(0) : terms.get(1)).maximum(Nd.scalar(m, FLOOR))
                    .pow(Nd.scalar(m, (float) w[j]));                // [B, C]
            result = result == null ? factor : result.mul(factor);
            if (j < scales - 1) {
                a = halve(a);
                b = halve(b);
            }
        }
        return result.mean(new int[] {1});                            // [B]
    }

    /** 1 − mean MS-SSIM of a batch: the loss term (a scalar). */
    public static NDArray loss(NDArray x, NDArray y) {
        NDArray msssim = perImage(x, y).mean();
        return Nd.scalar(x.getManager(), 1f).sub(msssim);
    }

    /** (mean SSIM, mean cs) per image and channel at one scale: [B, C] each. */
    static NDList ssimTerms(NDArray x, NDArray y, int window) {
        Shape s = x.getShape();
        long n = s.get(0) * s.get(1);
        int h = (int) s.get(2);
        int wd = (int) s.get(3);
        NDArray xs = x.reshape(n, h, wd);
        NDArray ys = y.reshape(n, h, wd);
        NDArray stacked = stackMoments(xs, ys);                           // [5n, H, W]
        NDArray filtered = filter(stacked, window);                    // [5n, H', W']
        NDList parts = filtered.split(5, 0);
        NDArray muX = parts.get(0);
        NDArray muY = parts.get(1);
        NDManager m = x.getManager();
        NDArray muXX = muX.square();
        NDArray muYY = muY.square();
        NDArray muXY = muX.mul(muY);
        NDArray varX = parts.get(2).sub(muXX);
        NDArray varY = parts.get(3).sub(muYY);
        NDArray cov = parts.get(4).sub(muXY);
        NDArray c1 = Nd.scalar(m, (float) Ssim.C1);
        NDArray c2 = Nd.scalar(m, (float) Ssim.C2);
        NDArray two = Nd.scalar(m, 2f);
        NDArray cs = cov.mul(two).add(c2).div(varX.add(varY).add(c2));                // [n, H', W']
        NDArray luminance = muXY.mul(two).add(c1).div(muXX.add(muYY).add(c1));       // [n, H', W']
        // (DJL's PyTorch mean takes one axis at a time)
        NDArray ssim = luminance.mul(cs).reshape(n, -1).mean(new int[] {1}).reshape(s.get(0), s.get(1));
        NDArray csMean = cs.reshape(n, -1).mean(new int[] {1}).reshape(s.get(0), s.get(1));
        return new NDList(ssim, csMean);
    }

    /** x, y, x², y², x·y stacked along the first axis. */
    private static NDArray stackMoments(NDArray x, NDArray y) {
        return NDArrays.concat(new NDList(x, y, x.square(), y.square(), x.mul(y)));
    }

    /** Valid Gaussian filtering of [N, H, W] along both axes: [N, H − k + 1, W − k + 1]. */
    static NDArray filter(NDArray v, int window) {
        Shape s = v.getShape();
        NDManager m = v.getManager();
        NDArray rows = m.create(band((int) s.get(2), window), new Shape(s.get(2), s.get(2) - window + 1));
        NDArray cols = m.create(band((int) s.get(1), window), new Shape(s.get(1), s.get(1) - window + 1));
        NDArray alongW = v.matMul(rows);                                // [N, H, W']
        return cols.transpose().matMul(alongW);                         // [N, H', W']
    }

    /** The [n, n − k + 1] matrix whose column i holds the window at rows i..i+k−1. */
    private static float[] band(int n, int window) {
        double[] g = Ssim.gaussian(window);
        int out = n - window + 1;
        float[] b = new float[n * out];
        for (int i = 0; i < out; i++) {
            for (int t = 0; t < window; t++) {
                b[(i + t) * out + i] = (float) g[t];
            }
        }
        return b;
    }

    /** 2×2 average pooling (an odd last row or column is dropped): [B, C, H, W] → [B, C, H/2, W/2]. */
    static NDArray halve(NDArray x) {
        Shape s = x.getShape();
        long h = s.get(2) / 2;
        long w = s.get(3) / 2;
        NDArray even = s.get(2) % 2 == 0 && s.get(3) % 2 == 0 ? x
                : x.get(new ai.djl.ndarray.index.NDIndex(":, :, :" + 2 * h + ", :" + 2 * w));
        return even.reshape(s.get(0), s.get(1), h, 2, w, 2).mean(new int[] {5}).mean(new int[] {3});
    }
}
