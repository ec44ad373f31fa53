package dev.ldm.flow;

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
 * A small velocity network for 2-D toy data: [x, sin(ω·t), cos(ω·t)] → three SiLU hidden layers →
 * v. The frequencies ω are geometric from 1 to 64 so that the network can resolve both the slow
 * drift at large t and the sharp split between modes at small t.
 */
final class TinyVelocityMlp extends Module {
    private final Linear in;
    private final Linear hidden1;
    private final Linear hidden2;
    private final Linear out;
    private final NDArray frequencies; // [1, F], constant

    TinyVelocityMlp(NDManager m, Rng rng, int dims, int width, int frequencyCount) {
        float[] w = new float[frequencyCount];
        for (int k = 0; k < frequencyCount; k++) {
            w[k] = (float) Math.pow(64.0, k / (double) (frequencyCount - 1));
        }
        this.frequencies = m.create(w, new Shape(1, frequencyCount));
        this.in = child("in", new Linear(m, rng, dims + 2L * frequencyCount, width));
        this.hidden1 = child("hidden1", new Linear(m, rng, width, width));
        this.hidden2 = child("hidden2", new Linear(m, rng, width, width));
        this.out = child("out", new Linear(m, rng, width, dims));
    }

    /** x [B, D], t [B] → v [B, D]. */
    NDArray forward(NDArray x, NDArray t) {
        NDArray angles = t.reshape(-1, 1).mul(frequencies);                          // [B, F]
        NDArray h = NDArrays.concat(new NDList(x, angles.sin(), angles.cos()), 1);   // [B, D + 2F]
        h = Nd.silu(in.forward(h));                                                  // [B, W]
        h = Nd.silu(hidden1.forward(h));                                             // [B, W]
        h = Nd.silu(hidden2.forward(h));                                             // [B, W]
        return out.forward(h);                                                       // [B, D]
    }

    /** The network as a sampler's field: the batch at one time, each call's arrays in a sub-manager of {@code m}. */
    VelocityField field(NDManager m) {
        return VelocityField.onEngine(m, (x, t) -> forward(x, x.getManager().full(new Shape(x.getShape().get(0)), t)));
    }
}
