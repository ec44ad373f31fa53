package dev.ldm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.nn.Linear;
import dev.ldm.nn.Nd;
import dev.ldm.util.Rng;

/**
 * One layer's adapter: W ↦ W + s·B·A with A [r, in] and B [out, r]. A starts small and random
 * (uniform in ±1/√in, as PEFT's Kaiming init), B at zero, so a fresh adapter leaves the layer
 * exactly as it was while gradients still reach B. Used by {@link Linear#forward} during training;
 * generation merges instead ({@link LoraMerge}), so it costs nothing at inference.
 */
public final class LoraLayer implements Linear.WeightAdapter {
    private final NDArray a;
    private final NDArray b;
    private final NDArray scale;

    /** A fresh adapter for a [out, in] weight. */
    public LoraLayer(NDManager m, Rng rng, long in, long out, int rank, double scale) {
        this(Nd.uniform(m, rng, 1.0 / Math.sqrt(in), rank, in), m.zeros(new ai.djl.ndarray.types.Shape(out, rank)),
                Nd.scalar(m, (float) scale));
    }

    /** An adapter over given arrays; {@code scale} is a scalar tensor (never a Java number: see {@link Nd#scalar}). */
    public LoraLayer(NDArray a, NDArray b, NDArray scale) {
        this.a = a;
        this.b = b;
        this.scale = scale;
    }

    /** weight [out, in] → W + s·B·A [out, in]. */
    @Override
    public NDArray adapt(NDArray weight) {
        return weight.add(delta());                                       // [out, in]
    }

    /** s·B·A [out, in]. */
    public NDArray delta() {
        return b.matMul(a).mul(scale);                                    // [out, r]·[r, in] → [out, in]
    }

    /** [r, in] */
    public NDArray a() {
        return a;
    }

    /** [out, r] */
    public NDArray b() {
        return b;
    }
}
