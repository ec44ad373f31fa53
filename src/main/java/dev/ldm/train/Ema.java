package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of parameters: ema ← d·ema + (1 − d)·θ, in place, with the warm-up of
 * diffusers' {@code EMAModel}: at optimizer step s (1-based) d = min(decay, (1 + s) / (10 + s)). A plain
 * EMA of decay 0.999 still holds 0.999^2000 = 13.5% of the random initial weights after 2,000 steps; with
 * the warm-up their share is below 10^-9 by step 100, and from step 8,990 on (decay 0.999) it is the plain EMA.
 */
public final class Ema {
    private final Map<String, NDArray> source;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private final double decay;

    public Ema(Map<String, NDArray> source, NDManager manager, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1)");
        }
        this.source = source;
        this.decay = decay;
        source.forEach((k, p) -> {
            NDArray copy = p.duplicate();
            copy.setRequiresGradient(false);
            copy.attach(manager);
            shadow.put(k, copy);
        });
    }

    /** The decay used at optimizer step {@code step} (1-based). */
    public static double decayAt(double decay, long step) {
        if (step < 1) {
            throw new IllegalArgumentException("EMA step must be >= 1");
        }
        return Math.min(decay, (1.0 + step) / (10.0 + step));
    }

    /** The update after optimizer step {@code step} (1-based); call inside the step's NDScope. */
    public void update(long step) {
        float d = (float) decayAt(decay, step);
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray s = e.getValue();
            NDArray p = source.get(e.getKey());
            s.muli(d).addi(p.stopGradient().mul(1 - d));
        }
    }

    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        shadow.forEach((k, v) -> out.put(k, Nd.toTensor(v)));
        return out;
    }

    public void loadState(Map<String, Tensor> state) {
        shadow.forEach((k, v) -> Nd.assign(v, state.get(k).data()));
    }
}
