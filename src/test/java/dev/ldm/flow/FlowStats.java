package dev.ldm.flow;

/** Small host-side statistics for the sampler tests. */
final class FlowStats {
    private FlowStats() {}

    /** Mean of column d of a row-major [B, D] array. */
    static double mean(float[] x, int dims, int d) {
        double s = 0;
        int n = x.length / dims;
        for (int i = 0; i < n; i++) {
            s += x[i * dims + d];
        }
        return s / n;
    }

    /** Standard deviation of column d of a row-major [B, D] array. */
    static double std(float[] x, int dims, int d) {
        double m = mean(x, dims, d);
        double s = 0;
        int n = x.length / dims;
        for (int i = 0; i < n; i++) {
            double e = x[i * dims + d] - m;
            s += e * e;
        }
        return Math.sqrt(s / n);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
