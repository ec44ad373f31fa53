package dev.ldm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.util.Rng;

/** y = x·Wᵀ + b with W stored [out, in] (PyTorch layout, so safetensors names and shapes match). */
public final class Linear extends Module {
    private final NDArray weight;
    private final NDArray bias;

    /** Xavier-uniform weight, zero bias. */
    public Linear(NDManager m, Rng rng, long in, long out, boolean bias) {
        this.weight = param("weight", Nd.xavier(m, rng, out, in));
        this.bias = bias ? param("bias", m.zeros(new ai.djl.ndarray.types.Shape(out))) : null;
    }

    public Linear(NDManager m, Rng rng, long in, long out) {
        this(m, rng, in, out, true);
    }

    /** x [..., in] → [..., out]. */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }
}
