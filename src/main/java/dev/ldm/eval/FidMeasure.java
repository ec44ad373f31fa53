package dev.ldm.eval;

import dev.ldm.metrics.FrechetDistance;
import dev.ldm.metrics.GaussianStats;
import dev.ldm.util.Rng;

/**
 * FID with its floor, from features. FID depends on the number of images (fewer images, larger
 * value), so the floor is measured at the same size: the real images are split at random into a
 * subset R of as many images as are generated (at most half of them) and a disjoint reference set;
 * FID = d²(generated, reference) and floor = d²(R, reference). A generator that drew exactly from the
 * real distribution would score about the floor.
 */
public final class FidMeasure {
    private FidMeasure() {}

    /**
     * @param real features of the real images [n][d]
     * @param generated features of the generated images [g][d]
     * @return the distances, or null when fewer than 2 images can go on each side
     */
    public static EvalReport.Fid measure(float[][] real, float[][] generated, long seed) {
        int m = Math.min(generated.length, real.length / 2);
        if (m < 2) {
            return null;
        }
        int[] realOrder = Rng.stream(seed, "fid-real").permutation(real.length);
        float[][] subset = pick(real, realOrder, 0, m);
        float[][] reference = pick(real, realOrder, m, real.length);
        float[][] gen = generated.length == m ? generated
                : pick(generated, Rng.stream(seed, "fid-generated").permutation(generated.length), 0, m);
        GaussianStats ref = GaussianStats.of(reference);
        double fid = FrechetDistance.between(GaussianStats.of(gen), ref);
        double floor = FrechetDistance.between(GaussianStats.of(subset), ref);
        return new EvalReport.Fid(fid, floor, m, m, reference.length, real[0].length);
    }

    private static float[][] pick(float[][] rows, int[] order, int from, int to) {
        float[][] out = new float[to - from][];
        for (int i = from; i < to; i++) {
            out[i - from] = rows[order[i]];
        }
        return out;
    }
}
