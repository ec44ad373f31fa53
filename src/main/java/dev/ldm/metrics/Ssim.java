package dev.ldm.metrics;

/**
 * Structural similarity (Wang et al. 2004) of two images, for reports: the mean over channels and
 * positions of the SSIM map with an 11×11 Gaussian window of σ 1.5 without padding, on [0, 1]
 * values (C1 = 0.01², C2 = 0.03²). Images smaller than 11 px use the largest odd window that fits.
 * The same definitions as the training loss {@code dev.ldm.vae.MsSsim} at one scale, computed here
 * in double precision on host arrays with a separable filter.
 */
public final class Ssim {
    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    public static final double C1 = 0.01 * 0.01;
    public static final double C2 = 0.03 * 0.03;

    private Ssim() {}

    /**
     * Mean SSIM of two CHW images with values in [-1, 1] (mapped to [0, 1]; the second is clamped to
     * [-1, 1] first, as a saved image would be).
     *
     * @param reference [C, H, W] flattened
     * @param other [C, H, W] flattened
     */
    public static double mean(float[] reference, float[] other, int channels, int height, int width) {
        int plane = height * width;
        if (channels < 1 || height < 1 || width < 1 || reference.length != channels * plane
                || other.length != reference.length) {
            throw new IllegalArgumentException("SSIM needs two images of " + channels + "×" + height + "×" + width);
        }
        int k = window(Math.min(height, width));
        double[] g = gaussian(k);
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            double[] x = new double[plane];
            double[] y = new double[plane];
            for (int i = 0; i < plane; i++) {
                x[i] = (reference[c * plane + i] + 1) / 2.0;
                y[i] = (Math.max(-1f, Math.min(1f, other[c * plane + i])) + 1) / 2.0;
            }
            sum += meanSsim(x, y, height, width, g);
        }
        return sum / channels;
    }

    /** Mean SSIM of one channel pair in [0, 1]. */
    private static double meanSsim(double[] x, double[] y, int h, int w, double[] g) {
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        int k = g.length;
        int oh = h - k + 1;
        int ow = w - k + 1;
        double[] mx = filter(x, h, w, g);
        double[] my = filter(y, h, w, g);
        double[] sxx = filter(xx, h, w, g);
        double[] syy = filter(yy, h, w, g);
        double[] sxy = filter(xy, h, w, g);
        double sum = 0;
        for (int i = 0; i < oh * ow; i++) {
            double vx = sxx[i] - mx[i] * mx[i];
            double vy = syy[i] - my[i] * my[i];
            double cov = sxy[i] - mx[i] * my[i];
            sum += (2 * mx[i] * my[i] + C1) * (2 * cov + C2)
                    / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
        }
        return sum / (oh * ow);
    }

    /** Valid separable filtering: [h, w] → [h − k + 1, w − k + 1]. */
    private static double[] filter(double[] v, int h, int w, double[] g) {
        int k = g.length;
        int ow = w - k + 1;
        int oh = h - k + 1;
        double[] rows = new double[h * ow];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < ow; c++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += g[t] * v[r * w + c + t];
                }
                rows[r * ow + c] = s;
            }
        }
        double[] out = new double[oh * ow];
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += g[t] * rows[(r + t) * ow + c];
                }
                out[r * ow + c] = s;
            }
        }
        return out;
    }

    /** The window side for images of this (smaller) side: 11, or the largest odd number that fits. */
    public static int window(int side) {
        if (side < 1) {
            throw new IllegalArgumentException("SSIM needs a positive image side, not " + side);
        }
        return side >= WINDOW ? WINDOW : side - (side % 2 == 0 ? 1 : 0);
    }

    /** The normalised 1-D Gaussian window of {@code size} taps and σ {@link #SIGMA}. */
    public static double[] gaussian(int size) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - (size - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }
}
