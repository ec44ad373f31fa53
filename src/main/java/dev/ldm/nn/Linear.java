package dev.ldm.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.util.Rng;

/** y = x·Wᵀ + b with W stored [out, in] (PyTorch layout, so safetensors names and shapes match). */
public final class Linear extends Module {
    /**
     * Changes the weight a forward pass uses without touching the stored one, so that a frozen
     * layer can be trained through a low-rank adapter (LoRA: W + s·B·A) while W stays bit-identical.
     * The result must have W's shape; it is not a parameter of this module.
     */
    public interface WeightAdapter {
        /** weight [out, in] → effective weight [out, in]. */
        NDArray adapt(NDArray weight);
    }

    private final NDArray weight;
    private final NDArray bias;
    private WeightAdapter adapter;

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
        NDArray w = adapter == null ? weight : adapter.adapt(weight);        // [out, in]
        return ai.djl.nn.core.Linear.linear(x, w, bias).singletonOrThrow();  // [..., out]
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    /** Sets (or with null removes) the adapter applied to the weight in {@link #forward}. */
    public void setAdapter(WeightAdapter adapter) {
        this.adapter = adapter;
    }

    public WeightAdapter adapter() {
        return adapter;
    }
}
