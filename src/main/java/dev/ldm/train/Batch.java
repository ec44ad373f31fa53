package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;

/**
 * Assembles one training batch from the cache: the rows of an epoch permutation, each with one of
 * its image's alternative captions drawn uniformly, replaced by the empty prompt with probability p
 * (caption dropout), else by its first tag alone with probability q (tag dropout). Every draw is a function of (seed, step), so a resumed
 * run sees exactly the batches it would have seen.
 */
final class Batch {
    private final LatentCache cache;
    private final long seed;
    private final double dropout;
    private final double tagDropout;
    /** Whether any caption has a first tag other than itself (else tag dropout has nothing to swap in). */
    private final boolean tags;
    private int permEpoch = -1;
    private int[] perm;

    Batch(LatentCache cache, long seed, double dropout, double tagDropout) {
        this.cache = cache;
        this.seed = seed;
        this.dropout = dropout;
        this.tagDropout = tagDropout;
        this.tags = cache.text().hasTags();
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
        if (tagDropout > 0 && tags) {
            Rng tags = Rng.stream(seed, "tag-dropout-" + step);
            for (int j = 0; j < batch; j++) {
                shortened[j] = tags.nextDouble() < tagDropout;
            }
        }
        CaptionTable table = cache.text();
        Rng pick = Rng.stream(seed, "caption-" + step);
        int[] text = new int[batch];
        for (int j = 0; j < batch; j++) {
            int[] choices = cache.choices()[rows[j]];
            int r = choices.length == 1 ? choices[0] : choices[pick.nextInt(choices.length)];
            text[j] = dropped[j] ? table.empty() : shortened[j] ? table.firstTag()[r] : r;
        }
        return new NDList(create(m, cache.latents().rows(rows)), create(m, table.states().rows(text)),
                create(m, table.mask().rows(text)), create(m, table.pooled().rows(text)));
    }

    private static NDArray create(NDManager m, Tensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }
}
