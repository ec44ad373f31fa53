package dev.ldm.model;

import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import dev.ldm.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a trained DiT deeper without changing what it computes: the trained blocks keep their places
 * and weights, and new blocks are appended after them as a fresh initialisation builds them. adaLN-Zero
 * starts a new block's gates at zero and PixArt's layout its cross-attention output at zero, so each new
 * block adds exactly zero to the residual stream and the deeper model's velocity is the trained one's,
 * bit for bit, until training opens the gates. Training continues from the trained function with more
 * capacity (progressive growth, as Gong et al. 2019 stack BERT, here with identity blocks).
 */
public final class DepthGrowth {
    /** The random stream the new blocks are drawn from (a child of the run's seed). */
    static final String STREAM = "dit.grow";

    private DepthGrowth() {}

    /** Whether {@code to} is {@code from} with more blocks and nothing else changed. */
    public static boolean deepens(DiTConfig from, DiTConfig to) {
        return to.depth() > from.depth() && from.withDepth(to.depth()).equals(to);
    }

    /**
     * All weights of a {@code to} model: {@code trained} (a {@code from} model's) where they exist, and
     * seeded fresh weights for blocks {@code from.depth()} to {@code to.depth() - 1}.
     */
    public static Map<String, Tensor> deepen(Map<String, Tensor> trained, DiTConfig from, DiTConfig to, long seed) {
        if (!deepens(from, to)) {
            throw new IllegalArgumentException("DepthGrowth: " + to + " is not " + from + " with more blocks");
        }
        Map<String, Tensor> grown;
        try (NDManager m = NDManager.newBaseManager()) {
            grown = new DiT(m, to, Rng.stream(seed, STREAM)).stateDict();
        }
        Map<String, Tensor> out = new LinkedHashMap<>(grown);
        for (Map.Entry<String, Tensor> e : trained.entrySet()) {
            if (!grown.containsKey(e.getKey())) { // DiT.loadStateDict would refuse it too; say why here
                throw new IllegalArgumentException("DepthGrowth: '" + e.getKey() + "' is not a tensor of " + to);
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
