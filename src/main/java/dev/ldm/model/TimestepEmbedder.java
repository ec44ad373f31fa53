package dev.ldm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Module;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;

/**
 * Embeds the flow time t ∈ [0, 1] as DiT embeds its integer timestep: the sinusoidal frequency
 * embedding of {@code t·T_SCALE} (so t spans the same range as DiT's 0..999 steps and the
 * frequencies resolve small differences in t), then Linear → SiLU → Linear.
 */
public final class TimestepEmbedder extends Module {
    /** Width of the frequency embedding (DiT's {@code frequency_embedding_size}). */
    public static final int FREQUENCY_DIM = 256;
    /** t ∈ [0, 1] is scaled to [0, 1000] before the sinusoids. */
    public static final float T_SCALE = 1000f;

    private final NDArray freqs;
    private final Linear fc1;
    private final Linear fc2;

    public TimestepEmbedder(NDManager m, Rng rng, int hidden) {
        float[] f = SinCos.frequencies(FREQUENCY_DIM / 2);
        for (int i = 0; i < f.length; i++) {
            f[i] *= T_SCALE;                                                // fold t·1000 into the table
        }
        this.freqs = m.create(f, new Shape(1, FREQUENCY_DIM / 2));
        this.fc1 = child("fc1", new Linear(m, rng, FREQUENCY_DIM, hidden));
        this.fc2 = child("fc2", new Linear(m, rng, hidden, hidden));
    }

    /** t [B] → [B, hidden]. */
    public NDArray forward(NDArray t) {
        NDArray args = t.reshape(-1, 1).mul(freqs);                             // [B, F/2]
        NDArray emb = NDArrays.concat(new NDList(args.cos(), args.sin()), 1);   // [B, F]
        return fc2.forward(Nd.silu(fc1.forward(emb)));                          // [B, D]
    }

    /** The two MLP layers, for {@link DiT}'s weight initialisation. */
    Linear[] layers() {
        return new Linear[] {fc1, fc2};
    }
}
