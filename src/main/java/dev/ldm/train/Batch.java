package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * Assembles one training batch from the cache: the rows of an epoch permutation, with each
 * caption replaced by the empty prompt with probability p (caption dropout), else by its first tag
 * alone with probability q (tag dropout). Every draw is a function of (seed, step), so a resumed
 * run sees exactly the batches it would have seen.
 */
final class Batch {
    private final LatentCache cache;
    private final long seed;
    private final double dropout;
    private final double tagDropout;
    private int permEpoch = -1;
    private int[] perm;

    Batch(LatentCache cache, long seed, double dropout, double tagDropout) {
        this.cache = cache;
        this.seed = seed;
        this.dropout = dropout;
        this.tagDropout = tagDropout;
    }

    /** Indices of the rows for a 1-based step. */
    int[] rows(long step, int batch) {
        int n = cache.size();
        int[] out = new int[batch];
        for (int j = 0; j < batch; j++) {
            long g = (step - 1) * batch + j;
            int epoch = (int) (g / n);
            if (epoch != permEpoch) {
                perm = Rng.stream(seed, "data-" + epoch).permutation(n);
                permEpoch = epoch;
            }
            out[j] = perm[(int) (g % n)];
        }
        return out;
    }

    /** NDList(latents [B,C,h,w], states [B,L,D], mask [B,L], pooled [B,D]) in {@code m}. */
    NDList make(NDManager m, long step, int batch) {
        int[] rows = rows(step, batch);
        Rng drop = Rng.stream(seed, "dropout-" + step);
        boolean[] dropped = new boolean[batch];
        for (int j = 0; j < batch; j++) {
            dropped[j] = drop.nextDouble() < dropout;
        }
        boolean[] shortened = new boolean[batch];
        if (tagDropout > 0 && cache.hasShort()) {
            Rng tags = Rng.stream(seed, "tag-dropout-" + step);
            for (int j = 0; j < batch; j++) {
                shortened[j] = tags.nextDouble() < tagDropout;
            }
        }
        return new NDList(gather(m, cache.latents(), null, rows, null, null, null),
                gather(m, cache.states(), cache.shortStates(), rows, shortened, dropped, cache.emptyStates()),
                gather(m, cache.mask(), cache.shortMask(), rows, shortened, dropped, cache.emptyMask()),
                gather(m, cache.pooled(), cache.shortPooled(), rows, shortened, dropped, cache.emptyPooled()));
    }

    /** Rows of {@code src} (or of {@code alt} where shortened), with the empty prompt's row where dropped. */
    private static NDArray gather(NDManager m, Tensor src, Tensor alt, int[] rows, boolean[] shortened,
            boolean[] dropped, Tensor empty) {
        long[] shape = src.shape().clone();
        int per = (int) (src.data().length / shape[0]);
        shape[0] = rows.length;
        float[] out = new float[per * rows.length];
        for (int j = 0; j < rows.length; j++) {
            if (dropped != null && dropped[j]) {
                System.arraycopy(empty.data(), 0, out, j * per, per);
            } else if (shortened != null && shortened[j]) {
                System.arraycopy(alt.data(), rows[j] * per, out, j * per, per);
            } else {
                System.arraycopy(src.data(), rows[j] * per, out, j * per, per);
            }
        }
        return m.create(out, new Shape(shape));
    }
}
