package dev.ldm.flow;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * Training loss binned by time (minRF's diagnostic): K equal bins of t ∈ [0, 1], bin k holding
 * k/K ≤ t &lt; (k + 1)/K (t = 1 goes to the last bin). A healthy run shows every bin falling, with the
 * middle bins highest at convergence; a bin that stays flat points at a timestep range the model
 * has not learned (for instance near t = 0 under logit-normal sampling).
 */
public final class LossByTimestep {
    private final double[] sums;
    private final long[] counts;

    /** @param bins K ≥ 1 */
    public LossByTimestep(int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        this.sums = new double[bins];
        this.counts = new long[bins];
    }

    public int bins() {
        return sums.length;
    }

    /** Adds per-sample losses {@code loss[i]} at times {@code t[i]}. */
    public void add(float[] t, float[] loss) {
        if (t.length != loss.length) {
            throw new IllegalArgumentException(t.length + " times but " + loss.length + " losses");
        }
        for (int i = 0; i < t.length; i++) {
            int k = bin(t[i]);
            sums[k] += loss[i];
            counts[k]++;
        }
    }

    /** Adds per-sample losses [B] at times [B] (copied to the host). */
    public void add(NDArray t, NDArray perSampleLoss) {
        add(t.toFloatArray(), perSampleLoss.toFloatArray());
    }

    /** The bin of time t. */
    public int bin(float t) {
        if (!(t >= 0f && t <= 1f)) {
            throw new IllegalArgumentException("time must be in [0, 1], got " + t);
        }
        return Math.min(sums.length - 1, (int) (t * sums.length));
    }

    /** Mean loss per bin; NaN for a bin with no samples yet. */
    public double[] means() {
        double[] m = new double[sums.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = counts[k] == 0 ? Double.NaN : sums[k] / counts[k];
        }
        return m;
    }

    /** Samples per bin. */
    public long[] counts() {
        return counts.clone();
    }

    /** Forgets everything (for per-epoch or per-interval reports). */
    public void reset() {
        Arrays.fill(sums, 0);
        Arrays.fill(counts, 0);
    }

    /** One line, for logs: the bin means to 4 significant digits. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("loss by t:");
        for (double m : means()) {
            sb.append(' ').append(Double.isNaN(m) ? "-" : String.format(java.util.Locale.ROOT, "%.4g", m));
        }
        return sb.toString();
    }
}
