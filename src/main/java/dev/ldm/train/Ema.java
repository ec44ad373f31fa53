package dev.ldm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ldm.io.Tensor;
import dev.ldm.nn.Nd;
import java.util.LinkedHashMap;
import java.util.Map;

/** Exponential moving average of parameters: ema ← d·ema + (1 − d)·θ, in place. */
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

    /** One update; call inside the step's NDScope. */
    public void update() {
        float d = (float) decay;
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
