package dev.ldm.image;

/**
 * Resizes a float image plane so that its shorter side becomes {@code size}, then keeps the centred
 * {@code size x size} square. Downsampling averages the exact area each output pixel covers (no
 * aliasing on emoji outlines, independent of the scale factor); upsampling is bilinear with pixel
 * centres aligned, so a scale of one is the identity. Pure Java arithmetic: deterministic.
 */
final class Resampler {
    private Resampler() {}

    /** Source indices and weights of each output pixel along one axis. */
    private record Axis(int[] first, double[][] weights) {}

    /**
     * @param src [h, w] row-major plane
     * @return [size, size] row-major plane
     */
    static float[] resizeCrop(float[] src, int w, int h, int size) {
        double scale = size / (double) Math.min(w, h);
        int mw = w <= h ? size : Math.max(size, (int) Math.round(w * scale));
        int mh = h <= w ? size : Math.max(size, (int) Math.round(h * scale));
        Axis ax = axis(w, mw, (mw - size) / 2, size);
        Axis ay = axis(h, mh, (mh - size) / 2, size);
        float[] rows = new float[h * size]; // [h, size]: horizontal pass
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < size; x++) {
                double s = 0;
                double[] wt = ax.weights[x];
                int base = y * w + ax.first[x];
                for (int k = 0; k < wt.length; k++) {
                    s += wt[k] * src[base + k];
                }
                rows[y * size + x] = (float) s;
            }
        }
        float[] out = new float[size * size]; // [size, size]: vertical pass
        for (int y = 0; y < size; y++) {
            double[] wt = ay.weights[y];
            for (int x = 0; x < size; x++) {
                double s = 0;
                for (int k = 0; k < wt.length; k++) {
                    s += wt[k] * rows[(ay.first[y] + k) * size + x];
                }
                out[y * size + x] = (float) s;
            }
        }
        return out;
    }

    /** Weights mapping n source pixels to outputs [offset, offset + count) of a length-m resize. */
    private static Axis axis(int n, int m, int offset, int count) {
        int[] first = new int[count];
        double[][] weights = new double[count][];
        double r = n / (double) m;
        for (int j = 0; j < count; j++) {
            int v = j + offset;
            if (m < n) {
                area(v * r, (v + 1) * r, n, j, first, weights);
            } else {
                bilinear((v + 0.5) * r - 0.5, n, j, first, weights);
            }
        }
        return new Axis(first, weights);
    }

    private static void area(double lo, double hi, int n, int j, int[] first, double[][] weights) {
        int k0 = (int) Math.floor(lo);
        int k1 = Math.min(n, (int) Math.ceil(hi));
        double[] w = new double[k1 - k0];
        for (int k = k0; k < k1; k++) {
            w[k - k0] = (Math.min(hi, k + 1) - Math.max(lo, k)) / (hi - lo);
        }
        first[j] = k0;
        weights[j] = w;
    }

    private static void bilinear(double x, int n, int j, int[] first, double[][] weights) {
        double c = Math.max(0, Math.min(n - 1, x));
        int k0 = (int) Math.floor(c);
        double f = c - k0;
        if (k0 >= n - 1 || f == 0) {
            first[j] = k0;
            weights[j] = new double[] {1};
        } else {
            first[j] = k0;
            weights[j] = new double[] {1 - f, f};
        }
    }
}
