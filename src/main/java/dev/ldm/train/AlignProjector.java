package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;

/**
 * REPA's projector: a small MLP (Linear D → 2D, SiLU, Linear 2D → W) that maps a DiT block's hidden
 * tokens into the judge's feature space, where the alignment loss compares them with the judge's
 * features of the clean image. It is trained with the DiT and discarded afterwards: it is saved in
 * checkpoints (so a resume is exact) but never in the model folder.
 */
public final class AlignProjector extends Module {
    /** Name of its initialisation stream, drawn from the run's seed. */
    public static final String INIT_STREAM = "align-projector";

    private final Linear fc1;
    private final Linear fc2;

    /** Xavier-uniform weights and zero biases from {@code rng}: hidden width {@code d}, feature width {@code w}. */
    public AlignProjector(NDManager m, Rng rng, int d, int w) {
        this.fc1 = child("fc1", new Linear(m, rng, d, 2L * d));
        this.fc2 = child("fc2", new Linear(m, rng, 2L * d, w));
    }

    /** Hidden tokens [B, T, D] → projected tokens [B, T, W]. */
    public NDArray forward(NDArray h) {
        return fc2.forward(Nd.silu(fc1.forward(h)));                     // [B, T, W]
    }
}
