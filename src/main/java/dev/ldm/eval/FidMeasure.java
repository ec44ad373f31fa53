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
        return measure(real, generated, seed, new int[0]);
    }

    /**
     * {@link #measure}, with the FID of the prompts' own real images (rows of {@code real}, k per prompt:
     * {@link PromptRealImages}) against the same reference set, taken as the generated images are
     * (a seeded subset of the floor's size when there are more); not measured for fewer than 2 rows.
     */
    public static EvalReport.Fid measure(float[][] real, float[][] generated, long seed, int[] promptRows) {
        Split split = Split.of(real, generated.length, seed);
        if (split == null) {
            return null;
        }
        int m = split.subset().length;
        GaussianStats ref = GaussianStats.of(split.reference());
        double fid = FrechetDistance.between(GaussianStats.of(atMost(generated, m, seed)), ref);
        double floor = FrechetDistance.between(GaussianStats.of(split.subset()), ref);
        EvalReport.Fid out = new EvalReport.Fid(fid, floor, m, m, split.reference().length, real[0].length);
        if (promptRows.length < 2) {
            return out;
        }
        float[][] own = atMost(pick(real, promptRows, 0, promptRows.length), m, seed);
        return out.withPromptImages(FrechetDistance.between(GaussianStats.of(own), ref), own.length);
    }

    /** The rows, or a seeded subset of m of them when there are more (the generated images' draw). */
    private static float[][] atMost(float[][] rows, int m, long seed) {
        return rows.length <= m ? rows : pick(rows, Rng.stream(seed, "fid-generated").permutation(rows.length), 0, m);
    }

    /**
     * The FID of the autoencoder's round trip: d²(the floor's real subset after the round trip,
     * reference), with the subset and reference of {@link #measure} for the same real images, number
     * generated and seed. A DiT that gave every image its exact latent would score about this, so it
     * is the part of a model's FID that the autoencoder sets; with no loss it equals the floor.
     *
     * @param real features of the real images [n][d]
     * @param reconstructed features of the same images after the round trip, in the same order [n][d]
     * @param generated how many images were generated
     * @return the distance, or null when {@link #measure} measures none
     */
    public static Double roundTrip(float[][] real, float[][] reconstructed, int generated, long seed) {
        if (reconstructed.length != real.length) {
            throw new IllegalArgumentException(reconstructed.length + " reconstructions of " + real.length + " images");
        }
        Split split = Split.of(real, generated, seed);
        if (split == null) {
            return null;
        }
        float[][] subset = pick(reconstructed, split.order(), 0, split.subset().length);
        return FrechetDistance.between(GaussianStats.of(subset), GaussianStats.of(split.reference()));
    }

    /** The real images split at random: a subset of as many as are generated (at most half) and the rest. */
    private record Split(int[] order, float[][] subset, float[][] reference) {
        /** The split, or null when fewer than 2 images can go on each side. */
        static Split of(float[][] real, int generated, long seed) {
            int m = Math.min(generated, real.length / 2);
            if (m < 2) {
                return null;
            }
            int[] order = Rng.stream(seed, "fid-real").permutation(real.length);
            return new Split(order, pick(real, order, 0, m), pick(real, order, m, real.length));
        }
    }

    private static float[][] pick(float[][] rows, int[] order, int from, int to) {
        float[][] out = new float[to - from][];
        for (int i = from; i < to; i++) {
            out[i - from] = rows[order[i]];
        }
        return out;
    }
}
